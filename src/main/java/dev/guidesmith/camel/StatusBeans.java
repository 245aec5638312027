package dev.guidesmith.camel;

import dev.guidesmith.checks.CheckStats;
import dev.guidesmith.guide.FailureRecorder;
import dev.guidesmith.guide.GuideIndex;
import dev.guidesmith.jobs.JobEngine;
import dev.guidesmith.jobs.JobEvents;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageDefinition;
import dev.guidesmith.stages.StageStats;
import dev.guidesmith.status.ClusterMetrics;
import dev.guidesmith.status.ClusterRecords;
import dev.guidesmith.status.ClusterView;
import dev.guidesmith.status.FailureLog;
import dev.guidesmith.status.JobDetails;
import dev.guidesmith.status.JobMetrics;
import dev.guidesmith.status.JobRates;
import dev.guidesmith.status.NodeHeartbeat;
import dev.guidesmith.status.Progress;
import dev.guidesmith.status.ProgressReport;
import dev.guidesmith.status.RunReports;
import dev.guidesmith.status.RunStatus;
import dev.guidesmith.status.StatusMetrics;
import dev.guidesmith.status.StatusView;
import dev.guidesmith.support.Settings;
import dev.guidesmith.support.Templates;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.spi.Registry;

/**
 * The beans for watching a run, bound for {@code routes/status.camel.yaml}, {@code routes/progress.camel.yaml},
 * {@code routes/index.camel.yaml} and the render route: progress, the status view and metrics,
 * recent failures, run reports and the guide index. They follow the jobs through the job events.
 * With a shared store, also this node's heartbeat ({@code routes/nodes.camel.yaml}) and the cluster
 * every node's status shows.
 */
final class StatusBeans {

    private StatusBeans() {
    }

    static void bind(CamelContext context, Supplier<RunStatus.Node> node, Optional<ClusterRecords> cluster, Settings settings,
                     Path output, ModelFleet fleet, StageCatalog catalog, StageStats stageStats, CheckStats checkStats,
                     JobEngine jobs, JobEvents events, FailureRecorder failures, List<JobDetails> details)
            throws Exception {
        Registry registry = context.getRegistry();
        List<String> stages = catalog.stages().stream().map(StageDefinition::name).toList();

        Progress progress = new Progress(settings.seconds("pipeline.progress.window-seconds", 600));
        events.subscribe(progress);
        // near the end of the work, the scheduler starts the longest chains of calls first
        fleet.problemsLeft(() -> progress.snapshot().remaining());
        registry.bind("progress", progress);
        registry.bind("progressReport", new ProgressReport(progress, fleet));

        int recentFailures = settings.integer("pipeline.status.recent-failures", 20);
        FailureLog failureLog = new FailureLog(recentFailures);
        failureLog.seed(failures.newest(recentFailures));
        events.subscribe(failureLog);
        registry.bind("failureLog", failureLog);
        JobRates rates = new JobRates();
        events.subscribe(rates);
        PrometheusMeterRegistry prometheus = prometheus(registry);
        registry.bind("statusView", new StatusView(node, clusterView(context, cluster, node, fleet, settings, prometheus),
                progress, stageStats, stages, fleet, failureLog, jobs, rates, checkStats, details));
        registry.bind("statusMetrics", new StatusMetrics(prometheus, progress, stageStats, stages, fleet, checkStats));
        events.subscribe(new JobMetrics(prometheus, jobs, rates, fleet));

        Path work = Path.of(settings.string("pipeline.work", "data/work"));
        RunReports reports = new RunReports(work.resolve("reports"),
                Templates.compile(Templates.read(Path.of(settings.string("pipeline.report.template",
                        "routes/templates/report.md.mustache")), "run report template")),
                stageStats, stages, fleet, failureLog, checkStats, details);
        events.subscribe(reports);
        registry.bind("runReports", reports);

        GuideIndex index = new GuideIndex(output, settings.string("pipeline.index.file", "index.md"),
                Templates.compile(Templates.read(Path.of(settings.string("pipeline.index.template",
                        "routes/templates/index.md.mustache")), "guide index template")));
        events.subscribe(index);
        registry.bind("guideIndex", index);
        // the last guides of a run that stops between two ticks of the index timer
        context.addService(new Lifecycle(() -> { }, index::flush), true, true);
    }

    /**
     * With a shared store: this node's heartbeat (bound for the timer, and said to stop with the
     * node) and the cluster read from the store, for /status and /metrics; on one node, no cluster.
     */
    private static Supplier<RunStatus.Cluster> clusterView(CamelContext context, Optional<ClusterRecords> cluster,
                                                           Supplier<RunStatus.Node> node, ModelFleet fleet, Settings settings,
                                                           MeterRegistry metrics)
            throws Exception {
        if (cluster.isEmpty()) {
            return () -> null;
        }
        NodeHeartbeat heartbeat = new NodeHeartbeat(cluster.get(), node, fleet);
        context.getRegistry().bind("nodeHeartbeat", heartbeat);
        context.addService(new Lifecycle(() -> { }, heartbeat::leave), true, true);
        ClusterView view = new ClusterView(cluster.get(), settings.seconds("pipeline.store.node-lost-seconds", 15),
                Duration.ofMinutes(settings.integer("pipeline.status.cluster.recent-minutes", 60)),
                settings.seconds("pipeline.progress.window-seconds", 600),
                Duration.ofMillis(settings.integer("pipeline.status.cluster.cache-ms", 2000)));
        ClusterMetrics.bind(metrics, view);
        return view::current;
    }

    /**
     * The one Prometheus registry: Camel's micrometer support (camel.metrics.*) puts its route
     * metrics in the registry bound as {@code metricsRegistry}, creating it unless one is there, so
     * whichever of us comes first creates it and the other joins.
     */
    private static PrometheusMeterRegistry prometheus(Registry registry) {
        MeterRegistry found = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (found instanceof PrometheusMeterRegistry prometheus) {
            return prometheus;
        }
        if (found != null) {
            throw new IllegalStateException("The bean " + MicrometerConstants.METRICS_REGISTRY_NAME + " is a "
                    + found.getClass().getName() + ", not a Prometheus registry: remove it so /metrics can serve Prometheus text");
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }
}
