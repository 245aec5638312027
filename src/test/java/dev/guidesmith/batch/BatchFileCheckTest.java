package dev.guidesmith.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch file is checked whole, as OpenAI checks it, before any request is sent. */
class BatchFileCheckTest {

    static final BatchFileCheck CHECK = new BatchFileCheck(5, Set.of("m", "other")::contains);

    @TempDir
    Path dir;

    private Path file(String... lines) throws Exception {
        return Files.writeString(dir.resolve("in.jsonl"), String.join("\n", lines) + "\n");
    }

    static String request(String id, String url, String model) {
        return "{\"custom_id\": \"" + id + "\", \"method\": \"POST\", \"url\": \"" + url + "\", \"body\": {\"model\": \""
                + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}}";
    }

    @Test
    void aValidFileCountsItsRequestsAndNamesItsEndpoint() throws Exception {
        BatchFileCheck.Result result = CHECK.check(file(
                request("a", "/v1/chat/completions", "m"), "", request("b", "/v1/chat/completions", "other")), Optional.empty());
        assertThat(result.valid()).isTrue();
        assertThat(result.requests()).isEqualTo(2);
        assertThat(result.endpoint()).isEqualTo(BatchEndpoint.CHAT_COMPLETIONS);
    }

    @Test
    void everyKindOfBadLineIsListedWithItsNumber() throws Exception {
        BatchFileCheck.Result result = CHECK.check(file(
                request("a", "/v1/chat/completions", "m"),
                "not json",
                request("a", "/v1/chat/completions", "m"),
                request("c", "/v1/completions", "m"),
                request("d", "/v1/chat/completions", "unknown"),
                "{\"custom_id\": \"e\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\"}",
                "{\"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": {}}"), Optional.empty());
        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).extracting(BatchProblem::code, BatchProblem::line).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("invalid_json_line", 2L),
                org.assertj.core.groups.Tuple.tuple("duplicate_custom_id", 3L),
                org.assertj.core.groups.Tuple.tuple("url_mismatch", 4L),
                org.assertj.core.groups.Tuple.tuple("model_not_found", 5L),
                org.assertj.core.groups.Tuple.tuple("missing_body", 6L),
                org.assertj.core.groups.Tuple.tuple("missing_custom_id", 7L));
        assertThat(result.summary("in.jsonl")).contains("Line 3 repeats custom_id \"a\" of line 1").contains("No request was sent");
    }

    @Test
    void theBatchsEndpointIsRequiredOfEveryLine() throws Exception {
        BatchFileCheck.Result result = CHECK.check(file(request("a", "/v1/chat/completions", "m")),
                Optional.of(BatchEndpoint.COMPLETIONS));
        assertThat(result.problems()).extracting(BatchProblem::code).containsExactly("url_mismatch");
    }

    @Test
    void tooManyRequestsAndEmptyFilesAreRefused() throws Exception {
        String[] six = new String[6];
        for (int i = 0; i < six.length; i++) {
            six[i] = request("r" + i, "/v1/chat/completions", "m");
        }
        assertThat(CHECK.check(file(six), Optional.empty()).problems()).extracting(BatchProblem::code).containsExactly("too_many_tasks");
        assertThat(CHECK.check(file(""), Optional.empty()).problems()).extracting(BatchProblem::code).containsExactly("empty_file");
    }
}
