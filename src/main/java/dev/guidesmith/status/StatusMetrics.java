package dev.guidesmith.status;

import dev.guidesmith.checks.CheckCatalog;
import dev.guidesmith.checks.CheckStats;
import dev.guidesmith.llm.Endpoint;
import dev.guidesmith.llm.EndpointState;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.stages.StageStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The service's own metrics, bound to the live counters (read at scrape time, never copied), in the
 * Prometheus registry that also holds Camel's route metrics. Prometheus names: counters end in
 * {@code _total}, e.g. {@code guidesmith_problems_written_total},
 * {@code guidesmith_endpoint_calls_completed_total{endpoint="gpu"}}.
 */
public final class StatusMetrics {

    private final PrometheusMeterRegistry registry;

    public StatusMetrics(PrometheusMeterRegistry registry, Progress progress, StageStats stages, List<String> stageNames,
                         ModelFleet fleet, CheckStats checks) {
        this.registry = registry;
        bindProgress(registry, progress, fleet);
        for (String stage : stageNames) {
            bindStage(registry, stage, stages.of(stage), fleet);
        }
        counter(registry, "guidesmith.guides.need.review", "guides written that failed their checks after their repairs",
                checks, CheckStats::needReview);
        for (CheckCatalog.Availability check : checks.availability()) {
            bindCheck(registry, check, checks.of(check.check()));
        }
        for (Endpoint endpoint : fleet.endpoints()) {
            bindEndpoint(registry, endpoint);
        }
    }

    /** Prometheus text exposition of everything in the registry. */
    public String scrape() {
        return registry.scrape();
    }

    private static void bindProgress(MeterRegistry registry, Progress progress, ModelFleet fleet) {
        gauge(registry, "guidesmith.problems.accepted", "problems in the jobs started since the service started", progress,
                p -> p.snapshot().total());
        gauge(registry, "guidesmith.problems.done", "problems finished: guides written plus found done already", progress,
                p -> p.snapshot().done());
        gauge(registry, "guidesmith.problems.remaining", "problems neither done nor failed yet", progress,
                p -> p.snapshot().remaining());
        counter(registry, "guidesmith.problems.written", "guides written", progress, p -> p.snapshot().written());
        counter(registry, "guidesmith.problems.already.done", "problems found finished by an earlier run", progress,
                p -> p.snapshot().alreadyDone());
        counter(registry, "guidesmith.problems.failed", "problems that could not become a guide", progress,
                p -> p.snapshot().failed());
        gauge(registry, "guidesmith.problems.per.minute", "guides written per minute over the recent window", progress,
                p -> p.snapshot().perMinute());
        gauge(registry, "guidesmith.eta.seconds", "time to finish at the recent rate (NaN while unknown)", progress, p -> {
            var eta = p.snapshot().eta();
            return eta == null ? Double.NaN : eta.toSeconds();
        });
        gauge(registry, "guidesmith.calls.in.flight", "model calls running now", fleet,
                f -> f.endpoints().stream().mapToInt(Endpoint::inFlight).sum());
        gauge(registry, "guidesmith.calls.waiting", "model calls waiting for a free slot", fleet, ModelFleet::callsWaiting);
    }

    private static void bindStage(MeterRegistry registry, String stage, StageStats.Counters counters, ModelFleet fleet) {
        String[] tag = {"stage", stage};
        counter(registry, "guidesmith.stage.model.calls", "stage results that took a model call", counters,
                StageStats.Counters::modelCalls, tag);
        counter(registry, "guidesmith.stage.repair.calls", "calls that asked the stage again because a check failed",
                counters, StageStats.Counters::repairCalls, tag);
        counter(registry, "guidesmith.stage.cache.hits", "stage results found in the stage cache", counters,
                StageStats.Counters::cacheHits, tag);
        counter(registry, "guidesmith.stage.from.input", "stage results the input supplied", counters,
                StageStats.Counters::fromInput, tag);
        counter(registry, "guidesmith.stage.prompt.tokens", "prompt tokens of the stage's model calls", counters,
                StageStats.Counters::promptTokens, tag);
        counter(registry, "guidesmith.stage.cached.tokens", "prompt tokens of the stage's calls the servers took from"
                + " their prompt caches", counters, StageStats.Counters::cachedTokens, tag);
        counter(registry, "guidesmith.stage.output.tokens", "output tokens of the stage's model calls", counters,
                StageStats.Counters::outputTokens, tag);
        counter(registry, "guidesmith.stage.model.seconds", "time in the stage's model calls, summed over calls", counters,
                c -> c.millis() / 1000.0, tag);
        gauge(registry, "guidesmith.stage.calls.waiting", "the stage's calls waiting for a free slot", fleet,
                f -> f.callsWaitingByStage().getOrDefault(stage, 0), tag);
    }

    private static void bindCheck(MeterRegistry registry, CheckCatalog.Availability check, CheckStats.Counters counters) {
        String[] tag = {"check", check.check()};
        counter(registry, "guidesmith.check.passed", "guides that passed the check at once", counters,
                CheckStats.Counters::passed, tag);
        counter(registry, "guidesmith.check.repaired", "guides that passed the check after their stage was asked again",
                counters, CheckStats.Counters::repaired, tag);
        counter(registry, "guidesmith.check.failed", "guides written still failing the check", counters,
                CheckStats.Counters::failed, tag);
        gauge(registry, "guidesmith.check.active", "1 when the check runs, 0 when its tool is not installed here", check,
                c -> c.active() ? 1 : 0, tag);
    }

    private static void bindEndpoint(MeterRegistry registry, Endpoint endpoint) {
        String[] tag = {"endpoint", endpoint.name()};
        gauge(registry, "guidesmith.endpoint.slots", "calls the endpoint may run at once", endpoint, Endpoint::slots, tag);
        gauge(registry, "guidesmith.endpoint.calls.in.flight", "calls the endpoint runs now", endpoint, Endpoint::inFlight, tag);
        gauge(registry, "guidesmith.endpoint.peak.in.flight", "the most calls the endpoint ran at once", endpoint,
                Endpoint::peakInFlight, tag);
        counter(registry, "guidesmith.endpoint.calls.completed", "successful calls", endpoint, Endpoint::completed, tag);
        counter(registry, "guidesmith.endpoint.calls.failed", "failed calls", endpoint, Endpoint::failed, tag);
        counter(registry, "guidesmith.endpoint.prompt.tokens", "prompt tokens of successful calls", endpoint,
                Endpoint::promptTokens, tag);
        counter(registry, "guidesmith.endpoint.cached.tokens", "prompt tokens the server took from its prompt cache",
                endpoint, Endpoint::cachedTokens, tag);
        counter(registry, "guidesmith.endpoint.output.tokens", "output tokens of successful calls", endpoint,
                Endpoint::outputTokens, tag);
        counter(registry, "guidesmith.endpoint.busy.seconds", "slot-seconds spent in calls; rate() / slots = utilization",
                endpoint, e -> e.busyMillis() / 1000.0, tag);
        gauge(registry, "guidesmith.endpoint.queue.depth", "calls sent beyond the slots to wait in the server's own queue",
                endpoint, e -> e.settings().queueDepth(), tag);
        gauge(registry, "guidesmith.endpoint.turnaround.millis", "mean time a slot stood idle between a reply and the"
                + " next call sent to it", endpoint, e -> e.turnaround().meanMillis(), tag);
        gauge(registry, "guidesmith.endpoint.tokens.per.second", "output tokens per second while generating", endpoint,
                Endpoint::tokensPerSecond, tag);
        gauge(registry, "guidesmith.endpoint.up", "1 while the endpoint takes calls (healthy), else 0", endpoint,
                e -> e.state() == EndpointState.HEALTHY ? 1 : 0, tag);
        for (EndpointState state : EndpointState.values()) {
            gauge(registry, "guidesmith.endpoint.state", "1 for the endpoint's current state", endpoint,
                    e -> e.state() == state ? 1 : 0, "endpoint", endpoint.name(), "state", state.label());
        }
    }

    private static <T> void gauge(MeterRegistry registry, String name, String help, T source, ToDoubleFunction<T> value,
                                  String... tags) {
        Gauge.builder(name, source, value).description(help).tags(tags).strongReference(true).register(registry);
    }

    private static <T> void counter(MeterRegistry registry, String name, String help, T source, ToDoubleFunction<T> value,
                                    String... tags) {
        FunctionCounter.builder(name, source, value).description(help).tags(tags).register(registry);
    }
}
