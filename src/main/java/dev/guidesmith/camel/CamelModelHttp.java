package dev.guidesmith.camel;

import dev.guidesmith.llm.ModelHttp;
import dev.guidesmith.llm.ServerHttp;
import java.net.URI;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.DefaultProducerTemplate;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;

/**
 * Model calls over Camel's http component (Apache HttpClient 5), replies streamed. A component of
 * its own, so its settings touch no other use of {@code http:} in the context. Start it before the
 * fleet; it stops after the fleet, and closing its connections then ends calls still reading.
 */
public final class CamelModelHttp extends ServiceSupport implements ModelHttp {

    /**
     * Connections the pool allows, per server and in all: the fleet already holds each server to
     * its slots, and a lower cap here would make calls queue for a connection unseen.
     */
    private static final int UNCAPPED = 10_000;

    private final CamelContext context;
    private final boolean ownsContext;
    private final HttpComponent component = new HttpComponent();
    private final ProducerTemplate template;

    /** Requests go out once it is started; {@link #server} may be called before. */
    public CamelModelHttp(CamelContext context) {
        this(context, false);
    }

    private CamelModelHttp(CamelContext context, boolean ownsContext) {
        this.context = context;
        this.ownsContext = ownsContext;
        this.template = new DefaultProducerTemplate(context);
    }

    /** Started, in a Camel context of its own: for code that builds clients outside the service (tests, benchmarks). */
    public static CamelModelHttp standalone() {
        CamelContext context = new DefaultCamelContext();
        context.start();
        CamelModelHttp http = new CamelModelHttp(context, true);
        http.start();
        return http;
    }

    @Override
    public ServerHttp server(URI base, String apiKey, Duration connect) {
        return new CamelServerHttp(component, template, base, new ModelServerHeaders(apiKey), connect);
    }

    @Override
    protected void doStart() {
        component.setCamelContext(context);
        component.setClientConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(UNCAPPED).setMaxConnTotal(UNCAPPED).build());
        // no gzip (it would hold back a streamed reply), no cookies (model servers keep no sessions), and
        // no retries of HttpClient's own: the fleet retries a failed call elsewhere, after a backoff
        component.setContentCompressionDisabled(true);
        component.setCookieManagementDisabled(true);
        component.setAutomaticRetriesDisabled(true);
        ServiceHelper.startService(component, template);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(template, component);
        if (ownsContext) {
            context.stop();
        }
    }
}
