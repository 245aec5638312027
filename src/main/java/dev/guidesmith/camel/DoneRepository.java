package dev.guidesmith.camel;

import dev.guidesmith.jobs.DoneRegistry;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The idempotent consumer's view of {@link DoneRegistry}, used eagerly with completion at the end
 * of its block: {@code add} claims a problem as it enters the stages (in memory) and says whether
 * it is done or under way already; {@code remove} releases the claim when the problem could not
 * even be queued. Whether a problem is done is not the end of a message: the render step marks it
 * done, and its failure releases the claim, so {@code confirm} has nothing to do.
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
        return true;
    }

    @Override
    public void clear() {
        registry.clear();
    }
}
