package dev.guidesmith.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guidesmith.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The schema check that keeps schemas llama.cpp's converter cannot take (it aborts the JVM on them
 * in de.kherud 4.2.0) away from native code, and the GGUF header reader. Neither needs the model,
 * except the reading of its header.
 */
class EmbeddedSchemaGrammarTest {

    @Test
    void everyStageSchemaIsInTheSupportedSubset() throws Exception {
        try (var files = Files.list(Path.of("routes/prompts"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".schema.json")).toList()) {
                assertThatCode(() -> SchemaGrammar.check(Json.MAPPER.readTree(Files.readString(file)), "$"))
                        .as(file.toString()).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void whatTheConverterMightNotSurviveIsRefusedWithWhereAndWhy() {
        assertRefused("{\"type\":\"strange\"}", "$.type 'strange' is not a JSON Schema type");
        assertRefused("{\"type\":\"string\",\"pattern\":\"^(a\"}", "$ uses 'pattern'");
        assertRefused("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/defs/x\"}}}", "$.properties.a uses '$ref'");
        assertRefused("{\"type\":\"object\",\"properties\":{},\"required\":[\"a\"]}", "required names 'a'");
        assertRefused("{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":3,\"maxItems\":2}", "$.minItems is above maxItems");
        assertRefused("{\"type\":\"array\",\"items\":{\"oneOf\":[]}}", "$.items uses 'oneOf'");
        assertRefused("{\"description\":\"anything\"}", "$ has no type, enum or const");
    }

    private static void assertRefused(String schema, String message) {
        assertThatThrownBy(() -> SchemaGrammar.check(Json.MAPPER.readTree(schema), "$"))
                .isInstanceOf(SchemaGrammar.UnsupportedSchemaException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theWhitespaceRuleIsNarrowedToOneSpace() {
        String grammar = "root ::= \"{\" space \"}\" space\nspace ::= | \" \" | \"\\n\"{1,2} [ \\t]{0,20}\nchar ::= [^\"]\n";
        assertThat(SchemaGrammar.compact(grammar))
                .isEqualTo("root ::= \"{\" space \"}\" space\n" + SchemaGrammar.COMPACT_SPACE + "\nchar ::= [^\"]\n");
    }

    @Test
    void theStageSchemasBecomeCompactGrammars() throws Exception {
        assumeTrue(Files.exists(EmbeddedClientTest.MODEL), EmbeddedClientTest.SKIP);
        String grammar = SchemaGrammar.of(Json.MAPPER.readTree(Files.readString(Path.of("routes/prompts/topics.schema.json"))));
        assertThat(grammar).contains("root ::=").contains("key-insight").contains(SchemaGrammar.COMPACT_SPACE)
                .doesNotContain("[ \\t]{0,20}");
    }

    @Test
    void theHeaderOfTheTinyModelSaysWhatItIs() throws Exception {
        assumeTrue(Files.exists(EmbeddedClientTest.MODEL), EmbeddedClientTest.SKIP);
        GgufMetadata metadata = GgufMetadata.read(EmbeddedClientTest.MODEL);
        assertThat(metadata.architecture()).isEqualTo("llama");
        // what the file declares; shared/models/README.md says the model was trained with a 512-token context
        assertThat(metadata.contextLength()).isEqualTo(2048);
        assertThat(metadata.chatTemplate()).as("a base model without a chat template").isNull();
        assertThat(metadata.addBos()).isTrue();
    }
}
