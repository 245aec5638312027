package dev.guidesmith.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.guidesmith.support.Json;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks a reply before it counts: a text reply must say something; a data reply must be JSON that
 * follows the stage's schema. Servers constrain output with the schema already, but models and
 * servers differ, so the reply is parsed defensively: a JSON code fence or prose around the object
 * is tolerated, a reply that still does not fit is an {@link FailureKind#INVALID_REPLY}.
 */
final class ReplyValidator {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final Map<JsonNode, JsonSchema> compiled = new ConcurrentHashMap<>();

    ModelReply check(ModelRequest request, ModelReply reply) throws ModelCallException {
        if (reply.text() == null || reply.text().isBlank()) {
            throw invalid(request, reply, "the reply is empty");
        }
        if (!request.wantsJson()) {
            return reply;
        }
        JsonNode json = parse(reply.text());
        if (json == null) {
            throw invalid(request, reply, "the reply is not JSON: " + excerpt(reply.text()));
        }
        Set<ValidationMessage> errors = compiled.computeIfAbsent(request.schema(), FACTORY::getSchema).validate(json);
        if (!errors.isEmpty()) {
            String summary = errors.stream().limit(3).map(ValidationMessage::getMessage).collect(Collectors.joining("; "));
            throw invalid(request, reply, "the reply does not follow the schema: " + summary);
        }
        return reply.withJson(json);
    }

    /** The JSON value in a reply: the whole text, else the outermost {...} in it (fences, prose). */
    static JsonNode parse(String text) {
        JsonNode whole = tryParse(text.strip());
        if (whole != null && whole.isContainerNode()) {
            return whole;
        }
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        return start >= 0 && end > start ? tryParse(text.substring(start, end + 1)) : null;
    }

    private static JsonNode tryParse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static ModelCallException invalid(ModelRequest request, ModelReply reply, String why) {
        return new ModelCallException(FailureKind.INVALID_REPLY, reply.endpoint(), "stage " + request.stage() + " for "
                + request.subject() + ": " + why + " (model " + reply.model() + " on " + reply.endpoint() + ")");
    }

    private static String excerpt(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
    }
}
