package dev.guidesmith.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place in what the guide template sees, as the checks name it: {@code solutions.python} (field
 * {@code python} of the {@code solutions} output), {@code approaches.approaches[]} (every item of
 * the list), {@code approaches.approaches[2]} (a list of at least 2 items). The first name is a
 * problem field or a stage's output.
 */
public final class GuidePath {

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][\\w-]*)(?:\\[(\\d*)])?");

    private record Segment(String name, boolean list, int atLeast) {
    }

    private final String text;
    private final List<Segment> segments;

    private GuidePath(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    static GuidePath parse(String text, String setting) {
        List<Segment> segments = new ArrayList<>();
        for (String part : text.strip().split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("Setting " + setting + " names '" + text + "', which is not a path like"
                        + " solutions.python, approaches.approaches[] (every item) or approaches.approaches[2] (at least 2 items)");
            }
            boolean list = m.group(2) != null;
            int atLeast = list && !m.group(2).isEmpty() ? Integer.parseInt(m.group(2)) : list ? 1 : 0;
            segments.add(new Segment(m.group(1), list, atLeast));
        }
        return new GuidePath(text.strip(), List.copyOf(segments));
    }

    /** The first name: a problem field or a stage's output. */
    String root() {
        return segments.get(0).name();
    }

    boolean plain() {
        return segments.stream().noneMatch(Segment::list);
    }

    /** The path without its first name ({@code python} of {@code solutions.python}). */
    String inside() {
        int dot = text.indexOf('.');
        return dot < 0 ? text : text.substring(dot + 1);
    }

    @Override
    public String toString() {
        return text;
    }

    /** The value at a plain path, or null. */
    Object valueIn(Map<String, Object> view) {
        Object value = view;
        for (Segment segment : segments) {
            value = value instanceof Map<?, ?> map ? map.get(segment.name()) : null;
        }
        return value;
    }

    /** What is missing or empty at this path, one line each (none when all is there). */
    List<String> problemsIn(Map<String, Object> view) {
        List<String> problems = new ArrayList<>();
        walk(view, 0, "", problems);
        return problems;
    }

    private void walk(Object value, int index, String where, List<String> problems) {
        Segment segment = segments.get(index);
        String here = where.isEmpty() ? segment.name() : where + "." + segment.name();
        Object next = value instanceof Map<?, ?> map ? map.get(segment.name()) : null;
        boolean last = index == segments.size() - 1;
        if (segment.list()) {
            if (!(next instanceof List<?> items)) {
                problems.add(here + (next == null ? " is missing" : " is not a list"));
                return;
            }
            long filled = items.stream().filter(GuidePath::filled).count();
            if (filled < segment.atLeast()) {
                problems.add(here + " has " + filled + " item(s); the guide needs at least " + segment.atLeast());
                if (filled == 0) {
                    return;
                }
            }
            if (!last) {
                for (int i = 0; i < items.size(); i++) {
                    walk(items.get(i), index + 1, here + "[" + i + "]", problems);
                }
            }
            return;
        }
        if (last) {
            if (!filled(next)) {
                problems.add(here + (next == null ? " is missing" : " is empty"));
            }
            return;
        }
        if (next == null) {
            problems.add(here + " is missing");
            return;
        }
        walk(next, index + 1, here, problems);
    }

    /** Present and not blank: a text with a non-space, a list with such an item, any map with an entry. */
    static boolean filled(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof CharSequence text) {
            return !text.toString().isBlank();
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(GuidePath::filled);
        }
        if (value instanceof Map<?, ?> map) {
            return !map.isEmpty();
        }
        return true;
    }
}
