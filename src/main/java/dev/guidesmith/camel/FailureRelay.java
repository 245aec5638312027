package dev.guidesmith.camel;

import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * Sends a failure to the node that runs the failed item's job, on the item-failures queue
 * (routes/errors.camel.yaml). Sent from the failed item's consumer thread, it joins that consumer's
 * broker transaction: the failure is on its way exactly when the failed message is acknowledged.
 */
final class FailureRelay implements Consumer<RelayedFailure> {

    static final String QUEUE = "{{pipeline.queue}}:item-failures";

    private final CamelContext context;
    private volatile ProducerTemplate template;

    FailureRelay(CamelContext context) {
        this.context = context;
    }

    @Override
    public void accept(RelayedFailure failure) {
        template().sendBody(QUEUE, failure);
    }

    private ProducerTemplate template() {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
            }
        }
        return template;
    }
}
