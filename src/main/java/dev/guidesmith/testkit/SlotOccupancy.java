package dev.guidesmith.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * How busy real servers' slots were, as the servers themselves report: their {@code /slots} sampled
 * at a fixed interval on a thread of its own. Occupancy is busy slot-samples over all slot-samples
 * within the active window (first busy sample to last), so start-up and the idle end do not count.
 */
public final class SlotOccupancy implements AutoCloseable {

    private final List<LlamaServerProcess> servers;
    private final int totalSlots;
    private final List<Integer> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    private SlotOccupancy(List<LlamaServerProcess> servers, int totalSlots, long intervalMillis) {
        this.servers = List.copyOf(servers);
        this.totalSlots = totalSlots;
        this.sampler = new Thread(() -> sample(intervalMillis), "slot-occupancy");
        this.sampler.setDaemon(true);
    }

    public static SlotOccupancy sample(List<LlamaServerProcess> servers, int totalSlots, long intervalMillis) {
        SlotOccupancy occupancy = new SlotOccupancy(servers, totalSlots, intervalMillis);
        occupancy.sampler.start();
        return occupancy;
    }

    private void sample(long intervalMillis) {
        long next = System.nanoTime();
        while (running) {
            int busy = 0;
            try {
                for (LlamaServerProcess server : servers) {
                    busy += server.busySlots();
                }
            } catch (Exception e) {
                busy = -1; // not a sample
            }
            if (busy >= 0) {
                synchronized (samples) {
                    samples.add(busy);
                }
            }
            next += intervalMillis * 1_000_000;
            long sleep = (next - System.nanoTime()) / 1_000_000;
            try {
                Thread.sleep(Math.max(0, sleep));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Busy share of the slots over the active window, 0 when nothing was ever busy. */
    public double occupancy() {
        synchronized (samples) {
            int[] window = activeWindow();
            if (window == null) {
                return 0;
            }
            long busy = 0;
            for (int i = window[0]; i <= window[1]; i++) {
                busy += samples.get(i);
            }
            return busy / (double) ((window[1] - window[0] + 1L) * totalSlots);
        }
    }

    /** Busy share per tenth of the active window: where the idle slots were (start, middle, the tail). */
    public String byTenth() {
        synchronized (samples) {
            int[] window = activeWindow();
            if (window == null) {
                return "";
            }
            StringBuilder tenths = new StringBuilder();
            int length = window[1] - window[0] + 1;
            for (int t = 0; t < 10; t++) {
                int from = window[0] + t * length / 10;
                int to = window[0] + (t + 1) * length / 10;
                long busy = 0;
                for (int i = from; i < to; i++) {
                    busy += samples.get(i);
                }
                tenths.append(String.format("%.2f ", to > from ? busy / (double) ((to - from) * (long) totalSlots) : 0));
            }
            return tenths.toString().strip();
        }
    }

    /** Samples within the active window. */
    public int activeSamples() {
        synchronized (samples) {
            int[] window = activeWindow();
            return window == null ? 0 : window[1] - window[0] + 1;
        }
    }

    /** The first and last sample with a busy slot, or null; called holding {@code samples}. */
    private int[] activeWindow() {
        int first = -1;
        int last = -1;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i) > 0) {
                last = i;
                first = first < 0 ? i : first;
            }
        }
        return first < 0 ? null : new int[] {first, last};
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
    }
}
