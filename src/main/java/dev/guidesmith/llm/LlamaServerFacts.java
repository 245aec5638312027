package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a llama.cpp server says about itself: {@code /props} gives the number of slots and the
 * default per-slot context, {@code /slots} each slot's own context ({@code -c N -np K} gives every
 * slot N/K). Other servers answer 404, which reads as "unknown" (zeros).
 */
record LlamaServerFacts(int slots, int contextPerSlot) {

    static LlamaServerFacts read(HttpTransport http) throws ModelCallException {
        JsonNode props = http.getJson("/props");
        if (props == null || !props.isObject()) {
            return new LlamaServerFacts(0, 0);
        }
        int slots = props.path("total_slots").asInt(0);
        int context = props.path("default_generation_settings").path("n_ctx").asInt(0);
        JsonNode perSlot = slotsOrNull(http);
        if (perSlot != null && perSlot.isArray() && perSlot.size() > 0) {
            int smallest = Integer.MAX_VALUE;
            for (JsonNode slot : perSlot) {
                int n = slot.path("n_ctx").asInt(0);
                if (n > 0) {
                    smallest = Math.min(smallest, n);
                }
            }
            if (smallest != Integer.MAX_VALUE) {
                context = smallest;
            }
            slots = Math.max(slots, perSlot.size());
        }
        return new LlamaServerFacts(slots, context);
    }

    /** /slots is disabled on some servers (--no-slots answers 501); that is not a failure. */
    private static JsonNode slotsOrNull(HttpTransport http) {
        try {
            return http.getJson("/slots");
        } catch (ModelCallException e) {
            return null;
        }
    }
}
