package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static dev.guidesmith.sim.SimClient.json;
import static dev.guidesmith.sim.SimClient.schemaErrors;
import static org.assertj.core.api.Assertions.assertThat;

class ReplyGeneratorTest {

    private final ReplyGenerator gen = new ReplyGenerator(42);

    @Test
    void proseHasTheExactSizeSaysItIsSimulatedAndIsDeterministic() {
        String a = gen.prose(7, 1600);
        assertThat(a).hasSize(1600).startsWith("[simulated]").contains("## ");
        assertThat(gen.prose(7, 1600)).isEqualTo(a);
        assertThat(new ReplyGenerator(42).prose(7, 1600)).isEqualTo(a);
        assertThat(gen.prose(8, 1600)).isNotEqualTo(a);
        assertThat(new ReplyGenerator(43).prose(7, 1600)).isNotEqualTo(a);
        assertThat(a.chars().allMatch(c -> c < 128)).as("ASCII only").isTrue();
        assertThat(gen.prose(1, 3)).isEqualTo("[simulated]");
    }

    @Test
    void schemaInstanceValidatesAndHasTheRequestedSize() {
        JsonNode schema = SimClient.guideSchema();
        for (int target : new int[] {400, 1600, 8000}) {
            String text = gen.json(schema, 99, target);
            JsonNode instance = json(text);
            assertThat(schemaErrors(schema, instance)).as("target %d: %s", target, text).isEmpty();
            if (target >= 1600) {
                assertThat(text.length()).as("size for target %d", target).isBetween(target * 7 / 10, target * 13 / 10);
            }
            assertThat(instance.get("python").asText()).startsWith("# [simulated]").contains("\n    ")
                    .contains("def solve");
            assertThat(instance.get("cpp").asText()).startsWith("// [simulated]").contains("{").contains("}");
            assertThat(instance.get("title").asText()).startsWith("[simulated]");
            assertThat(instance.get("steps").size()).isGreaterThanOrEqualTo(4);
            assertThat(instance.get("python").asText().length())
                    .as("code strings get the larger share")
                    .isGreaterThan(instance.get("complexity").get("time").asText().length());
        }
        assertThat(gen.json(schema, 99, 1600)).isEqualTo(gen.json(schema, 99, 1600));
        assertThat(gen.json(schema, 100, 1600)).isNotEqualTo(gen.json(schema, 99, 1600));
    }

    @Test
    void draft07DefinitionsAllOfConstFormatsAndNumbers() {
        JsonNode schema = json("""
                {
                  "$schema": "http://json-schema.org/draft-07/schema#",
                  "definitions": {
                    "base": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}},
                             "required": ["id"]}
                  },
                  "allOf": [
                    {"$ref": "#/definitions/base"},
                    {"type": "object",
                     "properties": {
                       "kind": {"const": "guide"},
                       "when": {"type": "string", "format": "date-time"},
                       "mail": {"type": "string", "format": "email"},
                       "even": {"type": "integer", "multipleOf": 2, "minimum": 3, "maximum": 9},
                       "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
                       "short": {"type": "string", "minLength": 3, "maxLength": 5},
                       "pair": {"type": "array", "items": [{"type": "integer"}, {"type": "string"}],
                                "minItems": 2, "maxItems": 2},
                       "maybe": {"type": ["null", "integer"], "minimum": -5, "maximum": -1}
                     },
                     "required": ["kind", "when", "mail", "even", "ratio", "short", "pair", "maybe", "extra"]}
                  ]
                }
                """);
        for (long key = 0; key < 20; key++) {
            String text = gen.json(schema, key, 600);
            JsonNode instance = json(text);
            assertThat(schemaErrors(schema, instance)).as(text).isEmpty();
            assertThat(instance.get("kind").asText()).isEqualTo("guide");
            assertThat(instance.get("extra").asText()).as("required but undeclared: a string").startsWith("[sim");
        }
    }

    @Test
    void genericJsonWhenNoSchemaIsGiven() {
        String text = gen.json(null, 5, 1200);
        JsonNode instance = json(text);
        assertThat(instance.isObject()).isTrue();
        assertThat(instance.get("simulated").asBoolean()).isTrue();
        assertThat(instance.get("summary").asText()).startsWith("[simulated]");
        assertThat(text.length()).isBetween(800, 1600);
    }
}
