package dev.guidesmith.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Item state on one node: each job's settled items in its ledger file ({@link ItemLedger}), the
 * items in the pipeline in memory (after a crash they are simply not settled, and run again).
 */
public final class LocalItemStore implements ItemStore {

    private final Map<String, ItemLedger> ledgers = new ConcurrentHashMap<>();
    private final ItemsInPipeline inPipeline = new ItemsInPipeline();

    @Override
    public JobCounts open(Job job) {
        return ledgers.computeIfAbsent(job.id(), id -> ItemLedger.open(job.folder())).counts();
    }

    @Override
    public boolean isSettled(String job, long position) {
        return ledger(job).isSettled(position);
    }

    @Override
    public JobCounts counts(String job) {
        ItemLedger ledger = ledgers.get(job);
        return ledger == null ? JobCounts.NONE : ledger.counts();
    }

    @Override
    public void admit(ItemRef item) {
        inPipeline.admit(item);
    }

    @Override
    public void advance(ItemRef item, String stage) {
        inPipeline.advance(item, stage);
    }

    @Override
    public Settlement settle(ItemRef item, ItemOutcome outcome) {
        boolean admitted = inPipeline.leave(item);
        ItemLedger ledger = ledgers.get(item.job());
        // no ledger: the job finished, so every item of it was settled already
        return new Settlement(ledger == null ? null : ledger.settle(item.position(), outcome), admitted);
    }

    @Override
    public void close(Job job) {
        ItemLedger ledger = ledgers.remove(job.id());
        if (ledger != null) {
            ledger.close();
        }
    }

    @Override
    public Map<String, Integer> inFlightByStage() {
        return inPipeline.byStage();
    }

    private ItemLedger ledger(String job) {
        ItemLedger ledger = ledgers.get(job);
        if (ledger == null) {
            throw new IllegalStateException("The items of job " + job + " are not open (the job has not begun, or has finished)");
        }
        return ledger;
    }
}
