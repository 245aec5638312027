package dev.guidesmith.sim;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds one instance of a JSON schema, sized so that its serialized form is about a given number of characters.
 *
 * <p>Supported: {@code type} (single or list; {@code null} is avoided when another type is allowed), {@code object}
 * with every declared property and every {@code required} one, {@code array} honouring {@code minItems},
 * {@code maxItems}, {@code items}, {@code prefixItems} and {@code uniqueItems}, {@code enum}, {@code const},
 * {@code string} with {@code minLength}, {@code maxLength} and the common {@code format}s, {@code integer} and
 * {@code number} with {@code minimum}, {@code maximum}, exclusive bounds and {@code multipleOf}, {@code boolean},
 * local {@code $ref}s ({@code #/$defs/..}, {@code #/definitions/..}, {@code #}), {@code allOf} (merged),
 * {@code anyOf} / {@code oneOf} (first alternative that is not null). Not supported: {@code pattern},
 * {@code patternProperties}, {@code if/then/else}, {@code not}, {@code contains}, remote refs.
 *
 * <p>It works in two passes with the same structural choices: the first measures the skeleton with empty free
 * strings, the second shares the remaining characters among the free strings (code-named ones get a larger share).
 */
final class SchemaInstanceBuilder {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 12;
    private static final int DEFAULT_ITEMS = 3;
    private static final int CODE_WEIGHT = 4;

    private final ReplyGenerator text;
    private final JsonNode root;
    private final long key;
    /** Bit i: break the i-th code string (see {@link ReplyGenerator#broken}). */
    private final int breakMask;
    private int codeStrings;
    private int brokenFields;

    /** Free strings met in the current pass, in order. */
    private final List<Slot> slots = new ArrayList<>();
    /** Sizes for the fill pass, or null in the measuring pass. */
    private int[] sizes;
    private SplittableRandom structure;

    private record Slot(int weight, int minLength, int maxLength) {
    }

    SchemaInstanceBuilder(ReplyGenerator text, JsonNode root, long key) {
        this(text, root, key, 0);
    }

    SchemaInstanceBuilder(ReplyGenerator text, JsonNode root, long key, int breakMask) {
        this.text = text;
        this.root = root;
        this.key = key;
        this.breakMask = breakMask;
    }

    /** Code strings the last build broke. */
    int brokenFields() {
        return brokenFields;
    }

    JsonNode build(int targetChars) {
        // pass 1: measure
        slots.clear();
        sizes = null;
        structure = new SplittableRandom(key);
        JsonNode skeleton = generate(root, null, 0);
        if (slots.isEmpty()) {
            return skeleton;
        }
        int budget = Math.max(0, targetChars - skeleton.toString().length());
        long totalWeight = slots.stream().mapToLong(Slot::weight).sum();
        int[] plan = new int[slots.size()];
        for (int i = 0; i < plan.length; i++) {
            Slot s = slots.get(i);
            int share = (int) (budget * s.weight() / totalWeight);
            int size = Math.max(share, ReplyGenerator.MARK.length());
            size = Math.max(size, s.minLength());
            if (s.maxLength() >= 0) {
                size = Math.min(size, s.maxLength());
            }
            plan[i] = size;
        }
        // pass 2: fill, with the same structural choices
        codeStrings = 0;
        brokenFields = 0;
        slots.clear();
        sizes = plan;
        structure = new SplittableRandom(key);
        return generate(root, null, 0);
    }

    private JsonNode generate(JsonNode schema, String name, int depth) {
        schema = resolve(schema, 0);
        if (schema == null || schema.isBoolean() || !schema.isObject()) {
            return schema != null && schema.isBoolean() && !schema.asBoolean() ? F.nullNode() : freeString(name, -1, 0);
        }
        if (schema.has("allOf")) {
            schema = mergeAllOf(schema);
        }
        if (schema.has("const")) {
            return schema.get("const").deepCopy();
        }
        JsonNode en = schema.get("enum");
        if (en != null && en.isArray() && !en.isEmpty()) {
            return pickEnum(en);
        }
        for (String alt : new String[] {"anyOf", "oneOf"}) {
            JsonNode options = schema.get(alt);
            if (options != null && options.isArray() && !options.isEmpty()) {
                JsonNode chosen = options.get(0);
                for (JsonNode o : options) {
                    JsonNode r = resolve(o, 0);
                    if (r == null || !"null".equals(r.path("type").asText())) {
                        chosen = o;
                        break;
                    }
                }
                ObjectNode merged = schema.deepCopy();
                merged.remove(alt);
                JsonNode r = resolve(chosen, 0);
                if (r != null && r.isObject()) {
                    r.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
                }
                return generate(merged, name, depth);
            }
        }
        switch (typeOf(schema)) {
            case "object":
                return object(schema, depth);
            case "array":
                return array(schema, name, depth);
            case "integer":
                return F.numberNode(integer(schema));
            case "number":
                return F.numberNode(number(schema));
            case "boolean":
                return F.booleanNode(true);
            case "null":
                return F.nullNode();
            default:
                return string(schema, name);
        }
    }

    private JsonNode object(JsonNode schema, int depth) {
        ObjectNode out = F.objectNode();
        if (depth >= MAX_DEPTH) {
            return out;
        }
        Set<String> names = new LinkedHashSet<>();
        JsonNode props = schema.get("properties");
        if (props != null && props.isObject()) {
            props.fieldNames().forEachRemaining(names::add);
        }
        JsonNode required = schema.get("required");
        if (required != null && required.isArray()) {
            required.forEach(r -> names.add(r.asText()));
        }
        boolean closed = schema.path("additionalProperties").isBoolean()
                && !schema.path("additionalProperties").asBoolean();
        if (names.isEmpty() && !closed) {
            // an open object with nothing declared: still say something
            out.set("note", freeString("note", -1, 0));
            return out;
        }
        for (String n : names) {
            JsonNode ps = props == null ? null : props.get(n);
            out.set(n, ps == null ? freeString(n, -1, 0) : generate(ps, n, depth + 1));
        }
        return out;
    }

    private JsonNode array(JsonNode schema, String name, int depth) {
        ArrayNode out = F.arrayNode();
        int min = schema.path("minItems").asInt(0);
        int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : Integer.MAX_VALUE;
        int count = Math.max(min, Math.min(max, DEFAULT_ITEMS));
        if (depth >= MAX_DEPTH) {
            count = min;
        }
        JsonNode prefix = schema.get("prefixItems");
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) { // draft-04 tuple form
            prefix = items;
            items = schema.get("additionalItems");
        }
        if (prefix != null && prefix.isArray()) {
            count = Math.max(count, Math.min(prefix.size(), max));
        }
        boolean unique = schema.path("uniqueItems").asBoolean(false);
        for (int i = 0; i < count; i++) {
            JsonNode itemSchema = prefix != null && i < prefix.size() ? prefix.get(i) : items;
            out.add(unique ? uniqueCandidate(itemSchema, name, depth, i) : generate(itemSchema, name, depth + 1));
        }
        if (unique && sizes != null) {
            // drop repeats only when filling: the measuring pass must make the same choices
            Set<JsonNode> seen = new HashSet<>();
            ArrayNode distinct = F.arrayNode();
            int index = 0;
            for (JsonNode item : out) {
                index++;
                if (seen.add(item)) {
                    distinct.add(item);
                } else if (item.isTextual()) {
                    // same length, distinct tail: keeps minLength/maxLength and makes it unique
                    String base = item.asText();
                    String tag = Integer.toString(index);
                    JsonNode variant = F.textNode(base.length() >= tag.length()
                            ? base.substring(0, base.length() - tag.length()) + tag : tag);
                    if (seen.add(variant)) {
                        distinct.add(variant);
                    }
                } // other repeats are dropped
            }
            return distinct;
        }
        return out;
    }

    /** For unique arrays of enums, walk the enum in order so items differ. */
    private JsonNode uniqueCandidate(JsonNode itemSchema, String name, int depth, int index) {
        JsonNode r = resolve(itemSchema, 0);
        JsonNode en = r == null ? null : r.get("enum");
        if (en != null && en.isArray() && !en.isEmpty()) {
            return en.get(index % en.size()).deepCopy();
        }
        if (r != null && ("integer".equals(typeOf(r)) || "number".equals(typeOf(r)))) {
            JsonNode base = generate(itemSchema, name, depth + 1);
            BigDecimal step = r.has("multipleOf") ? r.get("multipleOf").decimalValue() : BigDecimal.ONE;
            BigDecimal v = base.decimalValue().add(step.multiply(BigDecimal.valueOf(index)));
            if (r.has("maximum") && v.compareTo(r.get("maximum").decimalValue()) > 0) {
                return base;
            }
            return "integer".equals(typeOf(r)) ? F.numberNode(v.toBigInteger()) : F.numberNode(v);
        }
        return generate(itemSchema, name, depth + 1);
    }

    private JsonNode string(JsonNode schema, String name) {
        int minLength = schema.path("minLength").asInt(0);
        int maxLength = schema.has("maxLength") ? schema.get("maxLength").asInt() : -1;
        String format = schema.path("format").asText("");
        String fixed = switch (format) {
            case "date-time" -> "2025-01-01T00:00:00Z";
            case "date" -> "2025-01-01";
            case "time" -> "00:00:00Z";
            case "email" -> "simulated@example.com";
            case "hostname" -> "simulated.example.com";
            case "ipv4" -> "127.0.0.1";
            case "ipv6" -> "::1";
            case "uri", "url", "iri" -> "https://example.com/simulated";
            case "uuid" -> uuid();
            default -> null;
        };
        if (fixed != null) {
            return F.textNode(fixed);
        }
        return freeString(name, maxLength, minLength);
    }

    /** A string whose size the builder chooses: code-looking if its name suggests code, prose otherwise. */
    private JsonNode freeString(String name, int maxLength, int minLength) {
        boolean code = ReplyGenerator.isCodeName(name);
        int index = slots.size();
        slots.add(new Slot(code ? CODE_WEIGHT : 1, minLength, maxLength));
        if (sizes == null) {
            return F.textNode("");
        }
        int size = index < sizes.length ? sizes[index] : ReplyGenerator.MARK.length();
        long slotKey = ReplyGenerator.mix(key, index);
        String s = code ? text.code(name, name, slotKey, size) : text.plainString(slotKey, size);
        if (code && (breakMask >> codeStrings++ & 1) != 0) {
            s = ReplyGenerator.broken(name, s);
            brokenFields++;
        }
        if (maxLength >= 0 && s.length() > maxLength) {
            s = s.substring(0, maxLength);
        }
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < minLength) {
            sb.append('.');
        }
        return F.textNode(sb.toString());
    }

    private BigDecimal integer(JsonNode s) {
        BigDecimal lo = lowerBound(s, BigDecimal.ONE);
        BigDecimal hi = upperBound(s, BigDecimal.ONE);
        BigDecimal min = lo == null ? null : lo.setScale(0, RoundingMode.CEILING);
        BigDecimal max = hi == null ? null : hi.setScale(0, RoundingMode.FLOOR);
        if (min == null && max == null) {
            min = BigDecimal.ONE;
            max = BigDecimal.valueOf(100);
        } else if (min == null) {
            min = max.subtract(BigDecimal.valueOf(100));
        } else if (max == null) {
            max = min.add(BigDecimal.valueOf(100));
        }
        long span = max.subtract(min).min(BigDecimal.valueOf(1_000_000)).longValue();
        BigDecimal v = span < 0 ? min : min.add(BigDecimal.valueOf(structure.nextLong(span + 1)));
        if (s.has("multipleOf")) {
            BigDecimal m = s.get("multipleOf").decimalValue();
            if (m.signum() > 0) {
                BigDecimal aligned = v.divide(m, 0, RoundingMode.FLOOR).multiply(m);
                if (aligned.compareTo(min) < 0) {
                    aligned = aligned.add(m);
                }
                v = aligned.compareTo(max) <= 0 ? aligned : min.divide(m, 0, RoundingMode.CEILING).multiply(m);
            }
        }
        return v.setScale(0, RoundingMode.HALF_UP);
    }

    private BigDecimal number(JsonNode s) {
        BigDecimal step = new BigDecimal("0.01");
        if (s.has("multipleOf") && s.get("multipleOf").decimalValue().signum() > 0) {
            step = s.get("multipleOf").decimalValue();
        }
        BigDecimal lo = lowerBound(s, step);
        BigDecimal hi = upperBound(s, step);
        if (lo == null && hi == null) {
            lo = BigDecimal.ZERO;
            hi = BigDecimal.valueOf(100);
        } else if (lo == null) {
            lo = hi.subtract(BigDecimal.valueOf(100));
        } else if (hi == null) {
            hi = lo.add(BigDecimal.valueOf(100));
        }
        BigDecimal first = lo.divide(step, 0, RoundingMode.CEILING).multiply(step);
        long steps = hi.subtract(first).divide(step, 0, RoundingMode.FLOOR).min(BigDecimal.valueOf(1_000_000))
                .longValue();
        if (steps < 0) {
            return lo;
        }
        return first.add(step.multiply(BigDecimal.valueOf(structure.nextLong(steps + 1)))).stripTrailingZeros();
    }

    /** The smallest allowed value (exclusive bounds moved in by {@code epsilon}), or null if unbounded. */
    private static BigDecimal lowerBound(JsonNode s, BigDecimal epsilon) {
        BigDecimal lo = null;
        if (s.path("minimum").isNumber()) {
            lo = s.get("minimum").decimalValue();
            if (s.path("exclusiveMinimum").asBoolean(false) && s.get("exclusiveMinimum").isBoolean()) {
                lo = lo.add(epsilon);
            }
        }
        if (s.path("exclusiveMinimum").isNumber()) {
            BigDecimal ex = s.get("exclusiveMinimum").decimalValue().add(epsilon);
            lo = lo == null ? ex : lo.max(ex);
        }
        return lo;
    }

    private static BigDecimal upperBound(JsonNode s, BigDecimal epsilon) {
        BigDecimal hi = null;
        if (s.path("maximum").isNumber()) {
            hi = s.get("maximum").decimalValue();
            if (s.path("exclusiveMaximum").asBoolean(false) && s.get("exclusiveMaximum").isBoolean()) {
                hi = hi.subtract(epsilon);
            }
        }
        if (s.path("exclusiveMaximum").isNumber()) {
            BigDecimal ex = s.get("exclusiveMaximum").decimalValue().subtract(epsilon);
            hi = hi == null ? ex : hi.min(ex);
        }
        return hi;
    }

    private JsonNode pickEnum(JsonNode en) {
        return en.get(structure.nextInt(en.size())).deepCopy();
    }

    private String uuid() {
        long a = structure.nextLong();
        long b = structure.nextLong();
        return new java.util.UUID((a & ~0xF000L) | 0x4000L, (b & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
    }

    private static String typeOf(JsonNode schema) {
        JsonNode t = schema.get("type");
        if (t != null && t.isTextual()) {
            return t.asText();
        }
        if (t != null && t.isArray()) {
            String fallback = null;
            for (JsonNode x : t) {
                if (!"null".equals(x.asText())) {
                    return x.asText();
                }
                fallback = x.asText();
            }
            if (fallback != null) {
                return fallback;
            }
        }
        if (schema.has("properties") || schema.has("required") || schema.has("additionalProperties")) {
            return "object";
        }
        if (schema.has("items") || schema.has("prefixItems") || schema.has("minItems") || schema.has("maxItems")) {
            return "array";
        }
        if (schema.has("minimum") || schema.has("maximum") || schema.has("multipleOf")) {
            return "number";
        }
        return "string";
    }

    /** Follows local {@code $ref}s; other keywords next to a {@code $ref} are merged over the target. */
    private JsonNode resolve(JsonNode schema, int hops) {
        if (schema == null || !schema.isObject() || !schema.has("$ref") || hops > 32) {
            return schema;
        }
        String ref = schema.get("$ref").asText();
        JsonNode target = null;
        if (ref.equals("#")) {
            target = root;
        } else if (ref.startsWith("#/")) {
            target = root.at(JsonPointer.compile(decode(ref.substring(1))));
            if (target.isMissingNode()) {
                target = null;
            }
        }
        if (target == null) {
            return F.objectNode(); // unresolvable: anything goes
        }
        target = resolve(target, hops + 1);
        if (schema.size() == 1 || !target.isObject()) {
            return target;
        }
        ObjectNode merged = ((ObjectNode) target).deepCopy();
        Iterator<Map.Entry<String, JsonNode>> it = schema.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("$ref")) {
                merged.set(e.getKey(), e.getValue());
            }
        }
        return merged;
    }

    private JsonNode mergeAllOf(JsonNode schema) {
        ObjectNode merged = ((ObjectNode) schema).deepCopy();
        merged.remove("allOf");
        ObjectNode props = merged.has("properties") ? (ObjectNode) merged.get("properties") : F.objectNode();
        ArrayNode required = merged.has("required") ? (ArrayNode) merged.get("required") : F.arrayNode();
        for (JsonNode part : schema.get("allOf")) {
            JsonNode r = resolve(part, 0);
            if (r == null || !r.isObject()) {
                continue;
            }
            if (r.has("allOf")) {
                r = mergeAllOf(r);
            }
            Iterator<Map.Entry<String, JsonNode>> it = r.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                switch (e.getKey()) {
                    case "properties" -> e.getValue().fields()
                            .forEachRemaining(p -> props.set(p.getKey(), p.getValue()));
                    case "required" -> e.getValue().forEach(required::add);
                    default -> {
                        if (!merged.has(e.getKey())) {
                            merged.set(e.getKey(), e.getValue());
                        }
                    }
                }
            }
        }
        if (!props.isEmpty()) {
            merged.set("properties", props);
        }
        if (!required.isEmpty()) {
            merged.set("required", required);
        }
        return merged;
    }

    private static String decode(String pointer) {
        return java.net.URLDecoder.decode(pointer.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
