package dev.guidesmith.camel;

import dev.guidesmith.guide.GuideWriter;
import dev.guidesmith.jobs.DoneRegistry;
import dev.guidesmith.jobs.FailureRecorder;
import dev.guidesmith.jobs.InFlightLimit;
import dev.guidesmith.jobs.JobStore;
import dev.guidesmith.jobs.JobTracker;
import dev.guidesmith.llm.FleetSettings;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.problems.ProblemValidator;
import dev.guidesmith.stages.Fingerprinter;
import dev.guidesmith.stages.StageCache;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageSteps;
import dev.guidesmith.status.Progress;
import dev.guidesmith.status.ProgressReport;
import dev.guidesmith.status.StageStats;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.Settings;
import dev.guidesmith.support.StopSignal;
import java.nio.file.Path;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * Builds the service's beans from the settings and names them for the YAML routes. Everything the
 * routes call is bound here, so this is where to look for what {@code ref: xyz} means.
 */
public final class PipelineBeans implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
        Path work = Path.of(settings.string("pipeline.work", "data/work"));
        Path output = Path.of(settings.string("pipeline.output", "output"));
        Registry registry = context.getRegistry();
        // a kill -9 during a write leaves a hidden temporary file, never a half-written guide
        AtomicFiles.removeLeftovers(output);

        FleetSettings fleetSettings = FleetSettings.from(settings);
        ModelFleet fleet = new ModelFleet(fleetSettings);
        context.addService(new Lifecycle(fleet::start, fleet::close), true, true);
        StopSignal stop = new StopSignal();
        context.getManagementStrategy().addEventNotifier(new StopOnShutdown(stop, fleet));
        resolveAutoConcurrency(context, settings, fleetSettings.totalSlots());

        StageCatalog catalog = StageCatalog.load(settings, fleet.endpointNames(), fleet::modelsOf);
        DoneRegistry done = new DoneRegistry(work.resolve("done.log"));
        done.open();
        context.addService(new Lifecycle(() -> { }, done::close), true, true);

        Progress progress = new Progress(settings.seconds("pipeline.progress.window-seconds", 600));
        fleet.problemsLeft(() -> progress.snapshot().remaining());
        JobStore jobStore = new JobStore(work.resolve("jobs"), stop);
        String maxInFlight = settings.string("pipeline.max-in-flight", "auto");
        int inFlight = "auto".equalsIgnoreCase(maxInFlight) ? Math.max(16, 4 * fleetSettings.totalSlots())
                : settings.integer("pipeline.max-in-flight", 16);
        JobTracker jobTracker = new JobTracker(jobStore, progress);
        FailureRecorder failures = new FailureRecorder(work.resolve("failed"));

        registry.bind("fleet", fleet);
        registry.bind("fleetBalancer", new FleetLoadBalancer(fleet));
        registry.bind("stageCatalog", catalog);
        StageStats stageStats = new StageStats();
        registry.bind("stageStats", stageStats);
        registry.bind("stageSteps", new StageSteps(catalog, new StageCache(work.resolve("cache")), stageStats));
        registry.bind("problemValidator", new ProblemValidator());
        registry.bind("fingerprinter", new Fingerprinter(catalog));
        registry.bind("doneRegistry", done);
        registry.bind("doneRepository", new DoneRepository(done));
        registry.bind("jobStore", jobStore);
        registry.bind("jobTracker", jobTracker);
        registry.bind("failures", failures);
        registry.bind("deadLetters", new DeadLetters(failures, jobTracker));
        registry.bind("admissionGate", new AdmissionGate(new InFlightLimit(inFlight, stop)));
        registry.bind("guideWriter", new GuideWriter(output, catalog));
        registry.bind("progress", progress);
        registry.bind("progressReport", new ProgressReport(progress, fleet));

        StatusBeans.bind(context, settings, work, output, fleet, catalog, progress, stageStats, jobTracker, failures);
    }

    /**
     * {@code stage.<name>.concurrency=auto} means twice as many consumers as the fleet has slots:
     * one stage alone can keep every slot busy, with calls already waiting when a slot frees up.
     */
    private static void resolveAutoConcurrency(CamelContext context, Settings settings, int totalSlots) {
        for (String stage : settings.list("pipeline.stages")) {
            String key = "stage." + stage + ".concurrency";
            if ("auto".equalsIgnoreCase(settings.string(key, "auto"))) {
                context.getPropertiesComponent().addOverrideProperty(key, Integer.toString(2 * totalSlots));
            }
        }
    }
}
