package dev.guidesmith.http;

import dev.guidesmith.support.Settings;
import io.vertx.ext.web.handler.AuthenticationHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one HTTP server, {@code pipeline.http.host:pipeline.http.port}: Camel's own
 * platform-http server (Vert.x). Every HTTP route hangs off it with {@code from: platform-http:...}
 * and the precondition {@code ${properties:pipeline.http.port} != 0}: today the status page,
 * {@code /status} and {@code /metrics} (routes/status.camel.yaml), and the OpenAI-compatible API under
 * {@code /v1} (routes/api-*.camel.yaml).
 *
 * <p>File parts of multipart requests are streamed by the server into an upload folder as they
 * arrive (never held in memory), and a request body larger than the given limit is cut off with 413
 * while it is read, so an oversized upload fills neither memory nor disk.
 *
 * <p>It is the server camel-main builds for {@code camel.server.enabled=true}, built here instead
 * because the service's setting is {@code pipeline.http.port} with 0 meaning "no server", which
 * camel-main's {@code camel.server.*} keys cannot express (they are read before any bean could
 * derive them, and port 0 there means "any free port"). The status routes carry a precondition on
 * the same setting, so with port 0 neither the server nor its routes exist.
 */
public final class HttpServer {

    static final String PORT = "pipeline.http.port";
    static final String HOST = "pipeline.http.host";
    static final int DEFAULT_PORT = 8642;
    static final String DEFAULT_HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private HttpServer() {
    }

    /**
     * Adds the server to the context (it starts with it), unless the port is 0. Publishes the
     * resolved port and host as properties so the routes' {@code {{pipeline.http.port}}} always resolves.
     *
     * @param uploads      where the server streams the file parts of multipart requests; emptied
     *                     now, since an upload left there belongs to a request that died with the last run
     * @param maxBodyBytes the largest request body the server reads
     * @return the server, when there is one
     */
    public static Optional<MainHttpServer> configure(CamelContext context, Settings settings, Path uploads, long maxBodyBytes)
            throws Exception {
        int port = settings.integer(PORT, DEFAULT_PORT);
        String host = settings.string(HOST, DEFAULT_HOST);
        context.getPropertiesComponent().addOverrideProperty(PORT, Integer.toString(port));
        context.getPropertiesComponent().addOverrideProperty(HOST, host);
        if (port == 0) {
            LOG.info("No status page and no API: {}=0", PORT);
            return Optional.empty();
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Setting " + PORT + "=" + port + " is not a port: use 1-65535, or 0 for no status page");
        }
        checkFree(host, port);
        MainHttpServer server = new MainHttpServer();
        server.setCamelContext(context);
        server.setHost(host);
        server.setPort(port);
        server.setPath("/");
        server.setFileUploadEnabled(true);
        server.setFileUploadDirectory(emptied(uploads).toAbsolutePath().toString());
        server.setMaxBodySize(maxBodyBytes);
        context.addService(server, true, true);
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        LOG.info("Status page: http://{}:{}/ (JSON at /status, Prometheus metrics at /metrics, OpenAI-compatible API at /v1)",
                shown.contains(":") ? "[" + shown + "]" : shown, port);
        return Optional.of(server);
    }

    /**
     * Puts {@code check} in front of every request under {@code path} (such as {@code /v1/*}), through
     * platform-http's authentication configuration: the server runs it before it reads the request
     * body and before any route, so a request it turns away costs neither disk nor a route's work.
     * Call it before the context starts.
     */
    public static void authenticate(MainHttpServer server, String path, AuthenticationHandler check) {
        AuthenticationConfig authentication = server.getConfiguration().getAuthenticationConfig();
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath(path);
        // the check holds what it needs; platform-http's provider hook has nothing to provide here
        entry.setAuthenticationProviderFactory(vertx -> null);
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends io.vertx.ext.auth.authentication.AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(
                    T provider) {
                return check;
            }
        });
        authentication.getEntries().add(entry);
        authentication.setEnabled(true);
    }

    private static Path emptied(Path uploads) throws IOException {
        Files.createDirectories(uploads);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(uploads)) {
            for (Path leftover : leftovers) {
                if (Files.isRegularFile(leftover)) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
        return uploads;
    }

    /**
     * Vert.x reports a taken port deep inside the context's start; saying so here, with the
     * setting to change, saves the user a stack trace.
     */
    private static void checkFree(String host, int port) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Setting " + HOST + "=" + host + " is not an address of this machine: "
                    + "use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)", e);
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new IllegalStateException("The status page cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): another program uses the port, or the address is not this machine's. Set " + PORT
                    + " to a free port, or to 0 for no status page.", e);
        }
    }
}
