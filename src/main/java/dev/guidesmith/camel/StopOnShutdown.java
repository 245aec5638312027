package dev.guidesmith.camel;

import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.support.StopSignal;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * When Camel begins its graceful shutdown, raise the stop signal and stop the fleet from starting
 * calls, so the shutdown waits only for the calls already under way.
 */
final class StopOnShutdown extends EventNotifierSupport {

    private final StopSignal signal;
    private final ModelFleet fleet;

    StopOnShutdown(StopSignal signal, ModelFleet fleet) {
        this.signal = signal;
        this.fleet = fleet;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        signal.raise();
        fleet.stopStartingCalls();
    }
}
