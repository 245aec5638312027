package dev.guidesmith.status;

import dev.guidesmith.llm.Endpoint;
import dev.guidesmith.llm.ModelFleet;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress line the log shows every {@code pipeline.progress.interval}: done / total, failed,
 * rate, ETA and model calls in flight / the fleet's slots, then per endpoint its calls in flight /
 * slots, calls completed and failed, tokens per second and state.
 */
public final class ProgressReport {

    private static final Logger LOG = LoggerFactory.getLogger("progress");

    private final Progress progress;
    private final ModelFleet fleet;
    private String lastNews;

    public ProgressReport(Progress progress, ModelFleet fleet) {
        this.progress = progress;
        this.fleet = fleet;
    }

    /** Logs the progress line, unless nothing changed since the last one (an idle service stays quiet). */
    public synchronized void log() {
        Progress.Snapshot now = progress.snapshot();
        String line = line(now);
        String news = news(now, fleet.endpoints().stream().mapToInt(Endpoint::inFlight).sum(), line);
        if (!news.equals(lastNews)) {
            LOG.info(line);
            lastNews = news;
        }
    }

    /**
     * What of the line is news: all of it, except once everything is settled and no call runs, when
     * only the rate still moves (it decays over its window) and the line would repeat for nothing.
     */
    static String news(Progress.Snapshot now, int callsInFlight, String line) {
        return now.remaining() == 0 && callsInFlight == 0 ? line.replace(pace(now), "") : line;
    }

    public String line() {
        return line(progress.snapshot());
    }

    private String line(Progress.Snapshot now) {
        StringBuilder line = new StringBuilder(summary(now));
        int inFlight = 0;
        int slots = 0;
        for (Endpoint endpoint : fleet.endpoints()) {
            inFlight += endpoint.inFlight();
            slots += endpoint.slots();
        }
        line.append(", ").append(inFlight).append('/').append(slots).append(" calls in flight");
        Map<String, Integer> waiting = fleet.callsWaitingByStage();
        if (!waiting.isEmpty()) {
            line.append(" | waiting for a slot: ").append(waiting);
        }
        StringJoiner endpoints = new StringJoiner(" | ", " || ", "");
        for (Endpoint endpoint : fleet.endpoints()) {
            endpoints.add(String.format("%s %d/%d, %d ok, %d failed, %.1f tok/s, %s", endpoint.name(), endpoint.inFlight(),
                    endpoint.slots(), endpoint.completed(), endpoint.failed(), endpoint.tokensPerSecond(),
                    endpoint.state().label()));
        }
        return line.append(endpoints).toString();
    }

    /** Done / total, failed, the settled share, to go, rate and ETA: what the status page shows too. */
    static String summary(Progress.Snapshot now) {
        StringBuilder line = new StringBuilder();
        line.append(now.done()).append('/').append(now.total()).append(" done");
        if (now.alreadyDone() > 0) {
            line.append(" (").append(now.alreadyDone()).append(" found done already)");
        }
        line.append(", ").append(now.failed()).append(" failed");
        if (now.total() > 0) {
            line.append(" (").append(now.settledPercent()).append("% settled)");
        }
        line.append(", ").append(now.remaining()).append(" to go");
        return line.append(pace(now)).toString();
    }

    /** The recent rate and the ETA at that rate. */
    static String pace(Progress.Snapshot now) {
        Duration eta = now.eta();
        return String.format(java.util.Locale.ROOT, ", %.1f/min", now.perMinute()) + ", ETA " + (eta == null ? "?" : format(eta));
    }

    static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m" + String.format("%02ds", seconds % 60);
        }
        if (seconds < 86400) {
            return (seconds / 3600) + "h" + String.format("%02dm", (seconds % 3600) / 60);
        }
        return (seconds / 86400) + "d" + String.format("%02dh", (seconds % 86400) / 3600);
    }
}
