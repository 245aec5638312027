package dev.guidesmith.camel;

import dev.guidesmith.api.BatchesApi;
import dev.guidesmith.api.UploadLimit;
import dev.guidesmith.batch.BatchDetails;
import dev.guidesmith.batch.BatchFailures;
import dev.guidesmith.batch.BatchFileCheck;
import dev.guidesmith.batch.BatchJobKind;
import dev.guidesmith.batch.BatchRecords;
import dev.guidesmith.batch.BatchResults;
import dev.guidesmith.batch.BatchSteps;
import dev.guidesmith.batch.BatchStops;
import dev.guidesmith.batch.BatchTables;
import dev.guidesmith.batch.BatchIntake;
import dev.guidesmith.batch.Batches;
import dev.guidesmith.batch.FileStore;
import dev.guidesmith.checks.CheckCatalog;
import dev.guidesmith.checks.CheckStats;
import dev.guidesmith.checks.CommandRunner;
import dev.guidesmith.checks.GuideChecks;
import dev.guidesmith.guide.FailureFiles;
import dev.guidesmith.guide.FailureRecorder;
import dev.guidesmith.guide.GuideJobKind;
import dev.guidesmith.guide.GuideWriter;
import dev.guidesmith.http.HttpServer;
import dev.guidesmith.jobs.AdmissionOrder;
import dev.guidesmith.jobs.AdmissionWindow;
import dev.guidesmith.jobs.DoneRegistry;
import dev.guidesmith.jobs.JobEngine;
import dev.guidesmith.jobs.JobEvents;
import dev.guidesmith.jobs.JobKinds;
import dev.guidesmith.jobs.JobFolders;
import dev.guidesmith.jobs.JobStore;
import dev.guidesmith.jobs.QueuedItems;
import dev.guidesmith.llm.FleetSettings;
import dev.guidesmith.llm.ModelFleet;
import dev.guidesmith.problems.EntrySelection;
import dev.guidesmith.problems.ProblemValidator;
import dev.guidesmith.stages.Fingerprinter;
import dev.guidesmith.stages.StageCache;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageRepairs;
import dev.guidesmith.stages.StageResults;
import dev.guidesmith.stages.StageStats;
import dev.guidesmith.stages.StageSteps;
import dev.guidesmith.store.SlotLeaseSettings;
import dev.guidesmith.store.StoreSettings;
import dev.guidesmith.support.AtomicFiles;
import dev.guidesmith.support.NodeId;
import dev.guidesmith.support.Settings;
import dev.guidesmith.support.StopSignal;
import dev.guidesmith.support.Templates;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the service's beans from the settings and names them for the YAML routes. Everything the
 * routes call is bound here, so this is where to look for what {@code ref: xyz} means.
 */
public final class PipelineBeans implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineBeans.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
        Path work = Path.of(settings.string("pipeline.work", "data/work"));
        Path output = Path.of(settings.string("pipeline.output", "output"));
        Registry registry = context.getRegistry();
        String nodeId = NodeId.from(settings);
        StoreSettings storeSettings = StoreSettings.from(settings);
        LOG.info("Node {} starting; state in {}", nodeId, storeSettings.shared() ? storeSettings.describe()
                : "local files under " + work.toAbsolutePath());
        // local files, or PostgreSQL shared by several nodes: checked now, so a database that cannot be reached stops the start
        StateStores state = StateStores.of(context, storeSettings, SlotLeaseSettings.from(settings), work, nodeId);
        registry.bind("leaderOnly", state.leaderOnly());
        // Where jobs run and their items settle: on in-memory queues, every node runs its own (its
        // items never leave it); with the queues on a broker, the leader runs them all, while every
        // node takes the stages' messages
        registry.bind("jobsNode", BrokerQueues.onBroker(settings) ? state.leaderOnly() : StateStores.everyNode());
        // a kill -9 during a write leaves a hidden temporary file, never a half-written guide
        AtomicFiles.removeLeftovers(output);

        // the stage queues: in this process, or on the broker (a broker that cannot be reached stops the start here)
        BrokerQueues.configure(context, settings);

        FleetSettings fleetSettings = FleetSettings.from(settings);
        // model calls go through camel-http; added first, it starts before the fleet and stops after it
        CamelModelHttp http = new CamelModelHttp(context);
        context.addService(http, true, true);
        // with a shared store, each server's slots are leased among the nodes: its cap holds over all of them
        ModelFleet fleet = new ModelFleet(fleetSettings, http, state.sharedSlots());
        context.addService(new Lifecycle(fleet::start, fleet::close), true, true);
        StopSignal stop = new StopSignal();
        context.getManagementStrategy().addEventNotifier(new StopOnShutdown(stop, fleet));

        StageCatalog catalog = StageCatalog.load(settings, fleet.endpointNames(), fleet::modelsOf);
        registry.bind("stageRoutes", new StageRoutes(catalog, settings, fleetSettings.mostCallsAtOnce()));
        context.getPropertiesComponent().addOverrideProperty("guides.first-stage", catalog.first().name());
        // the checks every guide passes before it is written; those whose tool is missing are skipped
        CheckCatalog checks = CheckCatalog.load(settings, catalog);
        context.getPropertiesComponent().addOverrideProperty("guide.check.concurrency", Integer.toString(
                AutoConcurrency.of(settings, "guide.check.concurrency", fleetSettings.mostCallsAtOnce())));
        String processes = settings.string("guide.check.processes", "auto");
        int checkProcesses = "auto".equalsIgnoreCase(processes) ? Runtime.getRuntime().availableProcessors()
                : settings.integer("guide.check.processes", 1);
        CheckStats checkStats = new CheckStats(checks.availability());
        DoneRegistry done = new DoneRegistry(state.doneKeys());
        done.open();
        context.addService(new Lifecycle(() -> { }, done::close), true, true);

        String maxInFlight = settings.string("pipeline.max-in-flight", "auto");
        int window = "auto".equalsIgnoreCase(maxInFlight) ? Math.max(16, 4 * fleetSettings.mostCallsAtOnce())
                : settings.integer("pipeline.max-in-flight", 16);
        StageStats stageStats = new StageStats();
        // the results a problem's next stages read back: a few per problem in the pipeline
        StageCache cache = new StageCache(state.stageStore(), 2 * window * catalog.stages().size());
        StageResults results = new StageResults(catalog, cache);
        JobEvents events = new JobEvents();
        FailureRecorder failures = new FailureRecorder(
                state.failureRecords().apply(new FailureFiles(work.resolve("failed"))), work.resolve("failed"), events);
        // batch records, files and result lines: local files, or shared in PostgreSQL with the rest of the state
        BatchRecords batchRecords = state.batches().records();
        BatchResults batchResults = new BatchResults(output.resolve("batches"), batchRecords, state.batches().results());
        BatchStops batchStops = new BatchStops();
        // the Files API's store: batch inputs and results are file objects, with or without a server
        FileStore fileStore = state.batches().files();
        Batches batches = new Batches(batchRecords, batchResults, batchStops, fileStore, fleet::giveUpWaitingCalls);
        events.subscribe(batches);
        // after the batch listener: a batch's table is written once its result files are closed
        BatchTables batchTables = new BatchTables(batchRecords, output.resolve("batches"));
        events.subscribe(batchTables);
        context.getPropertiesComponent().addOverrideProperty("pipeline.batch.concurrency", Integer.toString(
                AutoConcurrency.of(settings, "pipeline.batch.concurrency", fleetSettings.mostCallsAtOnce())));
        BatchFileCheck batchCheck = new BatchFileCheck(settings.integer("pipeline.batch.max-requests", 200_000), fleet::serves);
        // batch files first: a .jsonl of batch request lines is not a problems file
        JobKinds kinds = new JobKinds(List.of(
                new BatchJobKind(batchCheck, batchResults, new BatchFailures(batchResults, batchStops)),
                new GuideJobKind(new ProblemValidator(), new Fingerprinter(catalog, checks.basis()), failures, done,
                        EntrySelection.skippingPaidOnly(settings.flag("pipeline.input.skip-paid-only", false)), catalog, cache)));
        JobStore jobStore = state.jobStore().apply(new JobFolders(work.resolve("jobs"), kinds));
        AdmissionOrder order = new AdmissionOrder(settings.flag("pipeline.longest-first", true),
                settings.integer("pipeline.longest-first.look-ahead", 4000));
        JobEngine jobs = new JobEngine(jobStore, kinds, state.itemStore(), new AdmissionWindow(window, stop), events, stop,
                BrokerQueues.onBroker(settings) ? QueuedItems.onBroker() : QueuedItems.inMemory(), order);

        registry.bind("fleet", fleet);
        registry.bind("fleetBalancer", new FleetLoadBalancer(fleet));
        registry.bind("stageCatalog", catalog);
        registry.bind("stageStats", stageStats);
        registry.bind("stageSteps", new StageSteps(catalog, cache, results, stageStats));
        registry.bind("stageRepairs", new StageRepairs(catalog, cache, results, stageStats));
        registry.bind("checkCatalog", checks);
        registry.bind("checkStats", checkStats);
        registry.bind("guideChecks", new GuideChecks(checks, new CommandRunner(checkProcesses), catalog, results, checkStats));
        registry.bind("doneRegistry", done);
        registry.bind("doneRepository", new DoneRepository(done));
        registry.bind("jobs", jobs);
        registry.bind("jobEvents", events);
        registry.bind("failures", failures);
        registry.bind("deadLetters", new DeadLetters(jobs, new FailureRelay(context)));
        registry.bind("brokerOutage", new BrokerOutage());
        registry.bind("guideWriter", new GuideWriter(output, catalog, results));
        registry.bind("batches", batches);
        registry.bind("batchRecords", batchRecords);
        registry.bind("batchTables", batchTables);
        registry.bind("batchSteps", new BatchSteps(fleet::endpointsServing, batches, batchResults));
        BatchIntake batchIntake = new BatchIntake(batchRecords, fileStore, batchCheck, jobs);
        registry.bind("batchIntake", batchIntake);

        BatchDetails batchDetails = new BatchDetails(batchTables, batchRecords, output.resolve("batches"),
                Templates.compile(Templates.read(Path.of(settings.string("pipeline.batch.summary-template",
                        "routes/templates/batch-summary.md.mustache")), "batch summary template")));
        StatusBeans.bind(context, state.node(), state.cluster(), settings, output, fleet, catalog, stageStats, checkStats,
                jobs, events, failures, List.of(batchDetails));

        // the one HTTP server: the status routes and the /v1 API hang off it
        UploadLimit uploadLimit = UploadLimit.from(settings);
        Optional<MainHttpServer> server = HttpServer.configure(context, settings, work.resolve("uploads"),
                uploadLimit.bodyLimitBytes());
        ApiBeans.bind(context, settings, fileStore, new BatchesApi(fileStore, batchRecords, batchIntake, batches, jobs,
                        output.resolve("batches")),
                uploadLimit, server);
    }
}
