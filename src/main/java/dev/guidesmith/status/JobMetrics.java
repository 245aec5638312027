package dev.guidesmith.status;

import dev.guidesmith.jobs.Job;
import dev.guidesmith.jobs.JobCounts;
import dev.guidesmith.jobs.JobEngine;
import dev.guidesmith.jobs.JobListener;
import dev.guidesmith.jobs.JobStatus;
import dev.guidesmith.llm.CallUsage;
import dev.guidesmith.llm.ModelFleet;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Metrics of each job under way, labelled with its id and kind, from its start to its end (then
 * they go: a long-running service sees many jobs): its items by state, its pace and ETA, and its
 * calls' tokens, cached ones included. E.g. {@code guidesmith_job_items{job="…",kind="batch",state="done"}}.
 */
public final class JobMetrics implements JobListener {

    private final MeterRegistry registry;
    private final JobEngine jobs;
    private final JobRates rates;
    private final ModelFleet fleet;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    public JobMetrics(MeterRegistry registry, JobEngine jobs, JobRates rates, ModelFleet fleet) {
        this.registry = registry;
        this.jobs = jobs;
        this.rates = rates;
        this.fleet = fleet;
    }

    @Override
    public void jobStarted(Job job, JobCounts settledBefore) {
        String id = job.id();
        List<Meter> registered = new ArrayList<>();
        String[] tags = {"job", id, "kind", job.kind()};
        registered.add(gauge("guidesmith.job.items", "the job's items: total, done (incl. found done already), failed", id,
                s -> s.entries(), tags, "state", "total"));
        registered.add(gauge("guidesmith.job.items", "the job's items: total, done (incl. found done already), failed", id,
                s -> s.done() + s.alreadyDone(), tags, "state", "done"));
        registered.add(gauge("guidesmith.job.items", "the job's items: total, done (incl. found done already), failed", id,
                s -> s.failed(), tags, "state", "failed"));
        registered.add(gauge("guidesmith.job.per.minute", "items this run settles per minute", id,
                s -> rates.perMinute(id, s.settled()), tags));
        registered.add(gauge("guidesmith.job.eta.seconds", "time to the job's end at its pace (NaN while unknown)", id, s -> {
            Duration eta = JobRates.eta(s.entries() - s.settled(), rates.perMinute(id, s.settled()));
            return eta == null ? Double.NaN : eta.toSeconds();
        }, tags));
        registered.add(tokens(id, CallUsage::promptTokens, tags, "prompt"));
        registered.add(tokens(id, CallUsage::cachedTokens, tags, "cached"));
        registered.add(tokens(id, CallUsage::outputTokens, tags, "output"));
        meters.put(id, registered);
    }

    @Override
    public void jobFinished(Job job, JobCounts counts) {
        List<Meter> registered = meters.remove(job.id());
        if (registered != null) {
            registered.forEach(registry::remove);
        }
    }

    private Meter gauge(String name, String help, String id, ToDoubleFunction<JobStatus> value, String[] tags, String... more) {
        String[] all = new String[tags.length + more.length];
        System.arraycopy(tags, 0, all, 0, tags.length);
        System.arraycopy(more, 0, all, tags.length, more.length);
        return Gauge.builder(name, () -> jobs.status(id).map(value::applyAsDouble).orElse(Double.NaN))
                .description(help).tags(all).strongReference(true).register(registry);
    }

    private Meter tokens(String id, ToDoubleFunction<CallUsage> value, String[] tags, String type) {
        return Gauge.builder("guidesmith.job.tokens", () -> value.applyAsDouble(fleet.usage(id)))
                .description("tokens of the job's answered calls: prompt, cached (from the servers' prompt caches), output")
                .tags(tags).tag("type", type).strongReference(true).register(registry);
    }
}
