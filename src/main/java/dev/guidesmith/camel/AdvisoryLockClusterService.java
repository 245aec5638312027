package dev.guidesmith.camel;

import dev.guidesmith.store.AdvisoryLock;
import dev.guidesmith.store.StoreSettings;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's cluster service over a PostgreSQL advisory lock per namespace ({@link AdvisoryLock}):
 * routes under a {@code ClusteredRoutePolicy} run on the one node holding the lock. Every
 * {@code pipeline.store.leader-check-seconds} each node keeps its lock, or tries to take it.
 */
public final class AdvisoryLockClusterService extends AbstractCamelClusterService<AdvisoryLockClusterService.LockView> {

    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLockClusterService.class);

    private final StoreSettings settings;
    private final String nodeId;

    public AdvisoryLockClusterService(StoreSettings settings, String nodeId) {
        super("postgres-advisory-lock");
        this.settings = settings;
        this.nodeId = nodeId;
    }

    @Override
    protected LockView createView(String namespace) {
        return new LockView(this, namespace);
    }

    /** One namespace's lock, checked on a timer; its changes are leadership events. */
    final class LockView extends AbstractCamelClusterView {

        private final AdvisoryLock lock;
        private final CamelClusterMember local = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return lock.held();
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return nodeId;
            }
        };
        private ScheduledExecutorService timer;
        private volatile boolean leading;

        LockView(CamelClusterService service, String namespace) {
            super(service, namespace);
            this.lock = new AdvisoryLock(settings, "guidesmith leader " + namespace, nodeId);
        }

        @Override
        protected void doStart() {
            timer = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "leader-lock-" + getNamespace());
            timer.scheduleWithFixedDelay(this::check, 0, settings.leaderCheck().toMillis(), TimeUnit.MILLISECONDS);
        }

        private void check() {
            boolean now = lock.holdOrTake();
            if (now != leading) {
                leading = now;
                LOG.info(now ? "Node {} leads {}: it takes the files dropped into the inbox" : "Node {} no longer leads {}",
                        nodeId, getNamespace());
                fireLeadershipChangedEvent(now ? Optional.of(local) : Optional.empty());
            }
        }

        @Override
        protected void doStop() {
            if (timer != null) {
                getCamelContext().getExecutorServiceManager().shutdownNow(timer);
            }
            lock.close();
            leading = false;
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leading ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local); // the lock tells who leads, not who else is there
        }
    }
}
