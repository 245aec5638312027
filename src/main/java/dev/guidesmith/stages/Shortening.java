package dev.guidesmith.stages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts text out of a template value: the tail of a string, or proportionally from every string
 * inside a structured result (lists and maps keep their shape, so templates still render).
 */
final class Shortening {

    /** Strings inside a structure shorter than this (names, labels) are never cut. */
    static final int MIN_NESTED_CHARS = 40;

    private Shortening() {
    }

    /**
     * @return the value with about {@code chars} characters removed, or null when it cannot give
     *         anything without dropping below {@code floor} characters per string
     */
    static Object remove(Object value, int chars, int floor) {
        int total = textLength(value);
        if (total <= floor) {
            return null;
        }
        double keep = Math.max(0, (double) (total - chars) / total);
        Object shorter = scale(value, keep, floor);
        return textLength(shorter) < total ? shorter : null;
    }

    private static Object scale(Object value, double keep, int floor) {
        if (value instanceof String text) {
            int target = Math.max(floor, (int) (text.length() * keep));
            return text.length() <= target ? text : text.substring(0, target).stripTrailing() + StagePrompt.CUT_MARK;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(scale(item, keep, MIN_NESTED_CHARS));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, scale(v, keep, MIN_NESTED_CHARS)));
            return out;
        }
        return value;
    }

    private static int textLength(Object value) {
        if (value instanceof String text) {
            return text.length();
        }
        if (value instanceof List<?> list) {
            return list.stream().mapToInt(Shortening::textLength).sum();
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().mapToInt(Shortening::textLength).sum();
        }
        return 0;
    }
}
