package dev.guidesmith.camel;

import dev.guidesmith.jobs.InFlightLimit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Lets a problem into the pipeline when there is room ({@link InFlightLimit}) and gives the room
 * back when its exchange is done, whether it ended in a guide or a failure. The release rides on
 * the exchange's completion, which the SEDA queues hand from stage to stage, so it happens when
 * the last stage is finished with the problem.
 *
 * <p>Camel's throttle EIP in concurrent-requests mode does the same, but it forgets its permits
 * after 10 s without a release, which with model calls of minutes would let the window grow
 * without bound.
 */
public final class AdmissionGate implements Processor {

    private final InFlightLimit limit;

    public AdmissionGate(InFlightLimit limit) {
        this.limit = limit;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        limit.enter();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                limit.leave();
            }
        });
    }
}
