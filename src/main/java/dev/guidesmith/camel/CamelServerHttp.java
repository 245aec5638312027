package dev.guidesmith.camel;

import dev.guidesmith.llm.HttpReply;
import dev.guidesmith.llm.IdleTimeoutException;
import dev.guidesmith.llm.ServerHttp;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.UnitOfWorkHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * Requests to one model server over camel-http: one {@code http:} endpoint per path, method and
 * idle timeout, made at first use.
 */
final class CamelServerHttp implements ServerHttp {

    /**
     * Replies stream (no stream cache), every status reaches our classification (no exception), and
     * nothing of the exchange becomes a request header or is read from a response header.
     */
    private static final String OPTIONS = "throwExceptionOnFailure=false&disableStreamCache=true"
            + "&skipRequestHeaders=true&skipControlHeaders=true&skipResponseHeaders=true";
    /** A String body would otherwise go out as ISO-8859-1. */
    private static final String JSON = "application/json; charset=UTF-8";

    private final HttpComponent component;
    private final ProducerTemplate template;
    private final URI base;
    private final ModelServerHeaders headers;
    private final long connectMillis;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    CamelServerHttp(HttpComponent component, ProducerTemplate template, URI base, ModelServerHeaders headers,
                    Duration connect) {
        this.component = component;
        this.template = template;
        this.base = base;
        this.headers = headers;
        this.connectMillis = connect.toMillis();
    }

    @Override
    public HttpReply send(String path, String jsonBody, Duration idle) throws IOException, IdleTimeoutException {
        Endpoint endpoint = endpoint(path, jsonBody == null ? "GET" : "POST", idle.toMillis());
        Exchange exchange = endpoint.createExchange();
        if (jsonBody != null) {
            exchange.getIn().setBody(jsonBody);
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, JSON);
        }
        // with a unit of work of its own the exchange outlives send(): the body is read afterwards
        UnitOfWork work = PluginHelper.getUnitOfWorkFactory(exchange.getContext()).createUnitOfWork(exchange);
        exchange.getExchangeExtension().setUnitOfWork(work);
        template.send(endpoint, exchange);
        if (exchange.getException() != null) {
            UnitOfWorkHelper.doneUow(work, exchange);
            throwFailure(exchange.getException(), idle);
        }
        return new CamelHttpReply(exchange, work, idle.toMillis());
    }

    private Endpoint endpoint(String path, String method, long idleMillis) {
        return endpoints.computeIfAbsent(method + " " + path + " " + idleMillis, key -> {
            String uri = base + path + "?httpMethod=" + method + "&" + OPTIONS
                    + "&connectTimeout=" + connectMillis + "&responseTimeout=" + idleMillis;
            try {
                HttpEndpoint endpoint = (HttpEndpoint) component.createEndpoint(uri);
                endpoint.setHttpClientConfigurer(builder -> {
                    headers.configureHttpClient(builder);
                    builder.setConnectionReuseStrategy(NoReuseAfterStream.INSTANCE);
                });
                ServiceHelper.startService(endpoint);
                return endpoint;
            } catch (Exception e) {
                throw new IllegalStateException("Cannot make the endpoint " + uri, e);
            }
        });
    }

    /** What went wrong before the status line, in the terms of {@link ServerHttp#send}. */
    private static void throwFailure(Exception error, Duration idle) throws IOException, IdleTimeoutException {
        Throwable cause = error;
        while (!(cause instanceof IOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        // HttpClient's connect timeout is a SocketTimeoutException too, but it means "unreachable"
        if (cause instanceof SocketTimeoutException && !(cause instanceof ConnectTimeoutException)) {
            throw new IdleTimeoutException("no response headers within " + idle.toMillis() + " ms");
        }
        throw cause instanceof IOException io ? io : new IOException(error.getMessage(), error);
    }

    @Override
    public void close() {
        endpoints.values().forEach(ServiceHelper::stopService);
        endpoints.clear();
    }
}
