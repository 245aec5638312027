package dev.guidesmith.llm;

import com.fasterxml.jackson.databind.JsonNode;
import de.kherud.llama.LlamaModel;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a stage's JSON schema into the GBNF grammar that constrains the embedded engine's sampling,
 * so even a model that knows no JSON can only write JSON that follows the schema.
 *
 * <p>The conversion is llama.cpp's own ({@link LlamaModel#jsonSchemaToGrammar}), but in de.kherud
 * 4.2.0 it does not catch its C++ exceptions: a schema it cannot convert (an unknown type, a
 * {@code pattern} without anchors, a dangling {@code $ref}, text that is not JSON) aborts the whole
 * JVM ("terminate called after throwing ..."). So a schema is first checked here, in Java, against
 * the subset of JSON Schema known to convert; anything else is refused with a message and never
 * reaches native code.
 *
 * <p>The grammar's whitespace rule is narrowed to at most one space: llama.cpp allows newlines and
 * up to 20 spaces of indentation between tokens, and a small model spends a third of its tokens on
 * it (measured on the stage schemas), which costs context and time and brings nothing.
 */
final class SchemaGrammar {

    /** Keywords the converter handles (checked below) or ignores (annotations). */
    private static final Set<String> KEYWORDS = Set.of("type", "properties", "required", "items", "minItems", "maxItems",
            "minLength", "maxLength", "enum", "const", "additionalProperties",
            "description", "title", "default", "examples", "$schema", "$comment");
    private static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");
    static final String COMPACT_SPACE = "space ::= | \" \"";

    private static final Map<JsonNode, String> CACHE = new ConcurrentHashMap<>();

    private SchemaGrammar() {
    }

    /**
     * The grammar for {@code schema}.
     *
     * @throws UnsupportedSchemaException when the schema uses what the converter may not survive
     */
    static String of(JsonNode schema) throws UnsupportedSchemaException {
        String cached = CACHE.get(schema);
        if (cached != null) {
            return cached;
        }
        check(schema, "$");
        LlamaNative.prepare();
        String grammar = compact(LlamaModel.jsonSchemaToGrammar(schema.toString()));
        CACHE.put(schema, grammar);
        return grammar;
    }

    /** The grammar with its whitespace rule narrowed to "nothing or one space". */
    static String compact(String grammar) {
        return grammar.replaceAll("(?m)^space ::= .*$", COMPACT_SPACE);
    }

    /** Refuses any schema outside the subset the native converter is known to handle. */
    static void check(JsonNode schema, String path) throws UnsupportedSchemaException {
        if (schema == null || !schema.isObject()) {
            throw new UnsupportedSchemaException(path + " is not a schema object");
        }
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYWORDS.contains(name)) {
                throw new UnsupportedSchemaException(path + " uses '" + name + "', which the embedded engine does not"
                        + " convert to a grammar (supported: type, properties, required, items, enum, const,"
                        + " additionalProperties, min/maxItems, min/maxLength)");
            }
        }
        JsonNode type = schema.get("type");
        if (type == null && !schema.has("enum") && !schema.has("const")) {
            throw new UnsupportedSchemaException(path + " has no type, enum or const");
        }
        if (type != null) {
            if (type.isTextual()) {
                checkType(type.asText(), path);
            } else if (type.isArray() && !type.isEmpty()) {
                for (JsonNode one : type) {
                    checkType(one.asText(), path);
                }
            } else {
                throw new UnsupportedSchemaException(path + ".type must be a type name or a list of them");
            }
        }
        if (schema.has("enum") && (!schema.get("enum").isArray() || schema.get("enum").isEmpty())) {
            throw new UnsupportedSchemaException(path + ".enum must be a non-empty list");
        }
        checkRange(schema, "minItems", "maxItems", path);
        checkRange(schema, "minLength", "maxLength", path);
        JsonNode properties = schema.get("properties");
        if (properties != null) {
            if (!properties.isObject()) {
                throw new UnsupportedSchemaException(path + ".properties must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = properties.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                check(field.getValue(), path + ".properties." + field.getKey());
            }
        }
        JsonNode required = schema.get("required");
        if (required != null) {
            if (!required.isArray()) {
                throw new UnsupportedSchemaException(path + ".required must be a list of property names");
            }
            for (JsonNode name : required) {
                if (!name.isTextual() || properties == null || !properties.has(name.asText())) {
                    throw new UnsupportedSchemaException(path + ".required names '" + name.asText()
                            + "', which is not among its properties");
                }
            }
        }
        if (schema.has("items")) {
            check(schema.get("items"), path + ".items");
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && !additional.isBoolean()) {
            check(additional, path + ".additionalProperties");
        }
    }

    private static void checkType(String type, String path) throws UnsupportedSchemaException {
        if (!TYPES.contains(type)) {
            throw new UnsupportedSchemaException(path + ".type '" + type + "' is not a JSON Schema type");
        }
    }

    private static void checkRange(JsonNode schema, String min, String max, String path) throws UnsupportedSchemaException {
        for (String key : new String[] {min, max}) {
            JsonNode value = schema.get(key);
            if (value != null && (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0)) {
                throw new UnsupportedSchemaException(path + "." + key + " must be a whole number of 0 or more");
            }
        }
        if (schema.has(min) && schema.has(max) && schema.get(min).asInt() > schema.get(max).asInt()) {
            throw new UnsupportedSchemaException(path + "." + min + " is above " + max);
        }
    }

    /** A schema the embedded engine refuses to convert. */
    static final class UnsupportedSchemaException extends Exception {
        UnsupportedSchemaException(String message) {
            super(message);
        }
    }
}
