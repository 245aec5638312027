package dev.guidesmith.camel;

import dev.guidesmith.batch.BatchRecords;
import dev.guidesmith.batch.FileStore;
import dev.guidesmith.batch.LocalBatchRecords;
import dev.guidesmith.batch.ResultLog;
import dev.guidesmith.guide.FailureFiles;
import dev.guidesmith.guide.FailureRecords;
import dev.guidesmith.jobs.DoneKeys;
import dev.guidesmith.jobs.DoneLogFile;
import dev.guidesmith.jobs.ItemStore;
import dev.guidesmith.jobs.JobFolders;
import dev.guidesmith.jobs.JobStore;
import dev.guidesmith.jobs.LocalItemStore;
import dev.guidesmith.llm.SharedSlots;
import dev.guidesmith.stages.StageFiles;
import dev.guidesmith.stages.StageStore;
import dev.guidesmith.status.ClusterRecords;
import dev.guidesmith.status.RunStatus;
import dev.guidesmith.store.PostgresClusterRecords;
import dev.guidesmith.store.PostgresBatchRecords;
import dev.guidesmith.store.PostgresDoneKeys;
import dev.guidesmith.store.PostgresFileStore;
import dev.guidesmith.store.PostgresFailureRecords;
import dev.guidesmith.store.PostgresItemStore;
import dev.guidesmith.store.PostgresJobStore;
import dev.guidesmith.store.PostgresSlotLeases;
import dev.guidesmith.store.PostgresResultLog;
import dev.guidesmith.store.PostgresStageStore;
import dev.guidesmith.store.SharedStore;
import dev.guidesmith.store.SlotLeaseSettings;
import dev.guidesmith.store.StoreSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Where the state lives: local files under {@code pipeline.work} (one node, the default), or a
 * PostgreSQL database several nodes share ({@code pipeline.store.url}): done keys, stage results,
 * jobs (with a copy of their files), their settled items and failure records, and the batches' state: the Files
 * API's files, batch records and every result line. With a shared store, the routes under
 * the {@code leaderOnly} policy (taking files from the inbox, resuming unfinished jobs) run on one
 * node at a time: the holder of an advisory lock ({@link AdvisoryLockClusterService}). When it
 * dies, the next leader resumes its jobs. The shared store also holds each node's heartbeat, from
 * which every node shows the whole cluster ({@code cluster}; empty on one node), and the model
 * servers' slots, leased so that their caps hold over all nodes ({@code sharedSlots}).
 */
record StateStores(DoneKeys doneKeys, StageStore stageStore, ItemStore itemStore, Function<JobFolders, JobStore> jobStore,
                   Function<FailureFiles, FailureRecords> failureRecords, RoutePolicy leaderOnly,
                   Supplier<RunStatus.Node> node, Optional<ClusterRecords> cluster, SharedSlots sharedSlots,
                   BatchState batches) {

    /** Where the Files API's files, the batch records and the batches' result lines are kept. */
    record BatchState(FileStore files, BatchRecords records, ResultLog results) {
    }

    /** The namespace of the leader-only routes (and the name of their lock). */
    static final String LEADER_NAMESPACE = "inbox";

    static StateStores of(CamelContext context, StoreSettings settings, SlotLeaseSettings slotLeases, Path work, String nodeId)
            throws Exception {
        if (!settings.shared()) {
            return new StateStores(new DoneLogFile(work.resolve("done.log")), new StageFiles(work.resolve("cache")),
                    new LocalItemStore(), folders -> folders, files -> files, new OneNodeLeads(),
                    () -> new RunStatus.Node(nodeId, "single", "files"), Optional.empty(), SharedSlots.NONE,
                    new BatchState(FileStore.open(work.resolve("files")), new LocalBatchRecords(work.resolve("batches")).load(),
                            ResultLog.FILES_ONLY));
        }
        SharedStore store = SharedStore.open(settings, nodeId);
        // added before the routes' beans: started first, closed after everything that uses it
        context.addService(new Lifecycle(() -> { }, store::close), true, true);
        // before the fleet: listening when its first call claims a slot, freeing what is left once its calls have ended
        PostgresSlotLeases leases = new PostgresSlotLeases(store, nodeId, slotLeases);
        context.addService(new Lifecycle(leases::start, leases::close), true, true);
        AdvisoryLockClusterService cluster = new AdvisoryLockClusterService(settings, nodeId);
        cluster.setCamelContext(context);
        context.addService(cluster, true, true);
        ClusteredRoutePolicy leaderOnly = ClusteredRoutePolicy.forNamespace(cluster, LEADER_NAMESPACE);
        leaderOnly.setCamelContext(context);
        return new StateStores(new PostgresDoneKeys(store, nodeId), new PostgresStageStore(store),
                new PostgresItemStore(store, nodeId), folders -> new PostgresJobStore(store, folders, nodeId),
                files -> new PostgresFailureRecords(store, files, nodeId), leaderOnly,
                () -> new RunStatus.Node(nodeId, leaderOnly.isLeader() ? "leader" : "standby", "postgresql"),
                Optional.of(new PostgresClusterRecords(store)), leases,
                new BatchState(new PostgresFileStore(store, work.resolve("file-copies"), nodeId),
                        new PostgresBatchRecords(store, nodeId), new PostgresResultLog(store, nodeId)));
    }

    /** A policy that changes nothing: the routes under it run on every node. */
    static RoutePolicy everyNode() {
        return new OneNodeLeads();
    }

    /** One node: it always leads, so the policy changes nothing. */
    private static final class OneNodeLeads extends RoutePolicySupport {
    }
}
