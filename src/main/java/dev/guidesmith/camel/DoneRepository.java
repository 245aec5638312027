package dev.guidesmith.camel;

import dev.guidesmith.jobs.DoneRegistry;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The idempotent consumer's view of {@link DoneRegistry}. Used eagerly: {@code add} claims a problem
 * when it enters the pipeline (in memory), {@code confirm} records it done when its last route
 * completes, {@code remove} releases the claim when it failed. Only {@code confirm} is durable, so
 * a crash never leaves unfinished work marked done.
 */
public final class DoneRepository extends ServiceSupport implements IdempotentRepository {

    private final DoneRegistry registry;

    public DoneRepository(DoneRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean add(String key) {
        return registry.claim(key);
    }

    @Override
    public boolean contains(String key) {
        return registry.isClaimedOrDone(key);
    }

    @Override
    public boolean remove(String key) {
        registry.release(key);
        return true;
    }

    @Override
    public boolean confirm(String key) {
        registry.markDone(key);
        return true;
    }

    @Override
    public void clear() {
        registry.clear();
    }
}
