package dev.guidesmith.status;

import dev.guidesmith.checks.CheckCatalog;
import dev.guidesmith.checks.CheckStats;
import dev.guidesmith.jobs.ItemFailure;
import dev.guidesmith.jobs.JobEngine;
import dev.guidesmith.jobs.JobStatus;
import dev.guidesmith.llm.CallUsage;
import dev.guidesmith.stages.StageStats;
import dev.guidesmith.llm.Endpoint;
import dev.guidesmith.llm.SlotTurnaround;
import dev.guidesmith.llm.ModelFleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Reads the live counters into a {@link RunStatus}: what {@code GET /status} answers. */
public final class StatusView {

    private final Progress progress;
    private final StageStats stages;
    private final List<String> stageNames;
    private final ModelFleet fleet;
    private final FailureLog failures;
    private final JobEngine jobs;
    private final JobRates rates;
    private final List<JobDetails> details;
    private final CheckStats checks;
    private final Supplier<RunStatus.Node> node;
    private final Supplier<RunStatus.Cluster> cluster;

    /** @param cluster the cluster from the shared store; null on one node */
    public StatusView(Supplier<RunStatus.Node> node, Supplier<RunStatus.Cluster> cluster, Progress progress, StageStats stages,
                      List<String> stageNames, ModelFleet fleet, FailureLog failures, JobEngine jobs, JobRates rates,
                      CheckStats checks, List<JobDetails> details) {
        this.node = node;
        this.cluster = cluster;
        this.checks = checks;
        this.progress = progress;
        this.stages = stages;
        this.stageNames = List.copyOf(stageNames);
        this.fleet = fleet;
        this.failures = failures;
        this.jobs = jobs;
        this.rates = rates;
        this.details = List.copyOf(details);
    }

    public RunStatus current() {
        Progress.Snapshot now = progress.snapshot();
        Map<String, Integer> waitingByStage = fleet.callsWaitingByStage();
        Map<String, RunStatus.Stage> stageViews = new LinkedHashMap<>();
        for (String name : stageNames) {
            StageStats.Counters c = stages.of(name);
            stageViews.put(name, new RunStatus.Stage(c.modelCalls() + c.cacheHits() + c.fromInput(), c.modelCalls(),
                    c.repairCalls(), c.cacheHits(), c.fromInput(), c.promptTokens(), c.cachedTokens(), c.outputTokens(),
                    c.millis() / 1000.0,
                    waitingByStage.getOrDefault(name, 0)));
        }
        Map<String, RunStatus.Check> checkViews = new LinkedHashMap<>();
        for (CheckCatalog.Availability check : checks.availability()) {
            CheckStats.Counters c = checks.of(check.check());
            checkViews.put(check.check(), new RunStatus.Check(check.active() ? "active" : "skipped", check.note(), c.passed(),
                    c.repaired(), c.failed()));
        }
        Map<String, RunStatus.Endpoint> endpointViews = new LinkedHashMap<>();
        int inFlight = 0;
        int slots = 0;
        for (Endpoint e : fleet.endpoints()) {
            inFlight += e.inFlight();
            slots += e.slots();
            SlotTurnaround t = e.turnaround();
            endpointViews.put(e.name(), new RunStatus.Endpoint(e.state().label(), e.stateReason(), e.settings().model(),
                    e.slots(), e.queueDepth(), e.inFlight(), e.completed(), e.failed(), round(e.tokensPerSecond()),
                    e.peakInFlight(), e.promptTokens(), e.cachedTokens(), e.outputTokens(), e.busyMillis() / 1000.0,
                    new RunStatus.Turnaround(t.gaps(), round(t.meanMillis()), round(t.meanCheckMillis()),
                            round(t.meanScheduleMillis()), round(t.meanPrepareMillis()), round(t.maxMillis())),
                    e.autoSlots() ? new RunStatus.AutoSlots(e.maxSlots(), e.slotsDecision()) : null));
        }
        List<RunStatus.Failure> recent = new ArrayList<>();
        for (ItemFailure f : failures.recent()) {
            recent.add(new RunStatus.Failure(f.record(), f.job(), f.stage(), f.errorClass(), f.attempts(), f.message(),
                    f.time()));
        }
        Duration eta = now.eta();
        return new RunStatus(node.get(), now.total(), now.done(), now.written(), now.alreadyDone(), now.failed(), checks.needReview(),
                now.settled(),
                now.settledPercent(), now.remaining(),
                inFlight, slots, fleet.callsWaiting(), round(now.perMinute()), eta == null ? null : eta.toSeconds(),
                now.uptime().toSeconds(), jobs.activeJobs(), jobViews(), stageViews, checkViews, endpointViews, recent,
                cluster.get());
    }

    private List<RunStatus.Job> jobViews() {
        List<RunStatus.Job> views = new ArrayList<>();
        for (JobStatus job : jobs.underWay()) {
            double perMinute = rates.perMinute(job.id(), job.settled());
            Duration eta = JobRates.eta(job.entries() - job.settled(), perMinute);
            CallUsage usage = fleet.usage(job.id());
            views.add(new RunStatus.Job(job.id(), job.kind(), job.name(), job.entries(), job.done(), job.alreadyDone(),
                    job.failed(), job.settled(), round(perMinute), eta == null ? null : eta.toSeconds(), usage.calls(),
                    usage.promptTokens(), usage.cachedTokens(), usage.outputTokens(), details(job.id())));
        }
        return views;
    }

    private Object details(String jobId) {
        for (JobDetails kind : details) {
            Optional<Object> live = kind.live(jobId);
            if (live.isPresent()) {
                return live.get();
            }
        }
        return null;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
