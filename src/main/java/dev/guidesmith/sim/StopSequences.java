package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Stop sequences: read from a request, and where a reply ends at the first of them (which is not sent). */
final class StopSequences {

    private StopSequences() {
    }

    /** Where a reply stops: before {@code at}, on {@code word}. */
    record Match(int at, String word) {
    }

    /** A string or an array of strings ({@code stop}, {@code options.stop}); anything else means none. */
    static List<String> of(JsonNode node) {
        List<String> stops = new ArrayList<>();
        if (node == null) {
            return stops;
        }
        if (node.isTextual()) {
            add(stops, node.asText());
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                if (n.isTextual()) {
                    add(stops, n.asText());
                }
            }
        }
        return stops;
    }

    /** The earliest stop sequence in {@code text}, or null if it contains none. */
    static Match firstIn(String text, List<String> stops) {
        Match first = null;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first == null || at < first.at())) {
                first = new Match(at, stop);
            }
        }
        return first;
    }

    private static void add(List<String> stops, String stop) {
        if (!stop.isEmpty()) {
            stops.add(stop);
        }
    }
}
