package dev.guidesmith.camel;

import dev.guidesmith.support.Settings;

/**
 * Consumers of a queue whose every message is a model call: {@code auto} (the default) means twice
 * the most calls the fleet may have at once ({@link dev.guidesmith.llm.FleetSettings#mostCallsAtOnce}),
 * so one queue alone can keep every slot busy, with calls already waiting when a slot frees up.
 */
final class AutoConcurrency {

    private AutoConcurrency() {
    }

    static int of(Settings settings, String key, int mostCallsAtOnce) {
        return "auto".equalsIgnoreCase(settings.string(key, "auto")) ? 2 * mostCallsAtOnce : settings.integer(key, 1);
    }
}
