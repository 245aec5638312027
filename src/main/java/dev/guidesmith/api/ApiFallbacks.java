package dev.guidesmith.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.TreeSet;

/**
 * OpenAI-shaped answers for {@code /v1} requests that no route answers: an unknown path (404), a
 * method the path does not take (405, with {@code Allow}), and the failures of the server's body
 * handler, which come before any route runs: a body over the upload limit (413) and a body that is
 * not valid form data (400). Without these, the server's defaults would answer HTML or an empty body.
 */
public final class ApiFallbacks {

    private final Router router;
    private final UploadLimit limit;
    private Route self;

    private ApiFallbacks(Router router, UploadLimit limit) {
        this.router = router;
        this.limit = limit;
    }

    /** Adds the fallbacks for {@code prefix/*} to {@code router}, behind every other route. */
    public static void install(Router router, String prefix, UploadLimit limit) {
        ApiFallbacks fallbacks = new ApiFallbacks(router, limit);
        fallbacks.self = router.route(prefix + "/*")
                .order(Integer.MAX_VALUE)
                .handler(fallbacks::noRouteTook)
                .failureHandler(fallbacks::bodyFailed);
    }

    private void noRouteTook(RoutingContext context) {
        String method = context.request().method().name();
        String path = context.normalizedPath();
        Set<String> allowed = methodsFor(path);
        if (allowed.isEmpty()) {
            reply(context, ApiException.notFound("Invalid URL (" + method + " " + path + "): this service has no "
                    + "such endpoint; its README lists the /v1 endpoints it serves.", null), null);
        } else {
            reply(context, new ApiException(405, ApiException.INVALID_REQUEST, method + " is not allowed on " + path
                    + ": use " + String.join(" or ", allowed) + ".", null, null), String.join(", ", allowed));
        }
    }

    private void bodyFailed(RoutingContext context) {
        if (context.response().ended()) {
            return;
        }
        if (context.statusCode() == 413) {
            reply(context, limit.refusal(), null);
        } else if (context.statusCode() == 400) {
            reply(context, ApiException.invalidRequest("The request body could not be read ("
                    + (context.failure() == null ? "malformed" : context.failure().getMessage())
                    + "). Upload files as multipart/form-data with the parts file and purpose.", null), null);
        } else {
            context.next();
        }
    }

    /** The methods other routes take on this path (routes without a method restriction say nothing). */
    private Set<String> methodsFor(String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            if (route != self && route.getPath() != null && route.methods() != null && !route.methods().isEmpty()
                    && matches(route.getPath(), path)) {
                route.methods().stream().map(HttpMethod::name).forEach(methods::add);
            }
        }
        return methods;
    }

    /** Whether a route path such as {@code /v1/files/:id} takes {@code path}. */
    static boolean matches(String template, String path) {
        String[] expected = strip(template).split("/", -1);
        String[] actual = strip(path).split("/", -1);
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            boolean parameter = expected[i].startsWith(":") && !actual[i].isEmpty();
            if (!parameter && !expected[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    private static String strip(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static void reply(RoutingContext context, ApiException refusal, String allow) {
        if (allow != null) {
            context.response().putHeader("Allow", allow);
        }
        context.response()
                .setStatusCode(refusal.status())
                .putHeader("Content-Type", "application/json")
                .end(refusal.json());
    }
}
