package dev.guidesmith.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileDeleted;
import com.openai.models.files.FileListPage;
import com.openai.models.files.FileListParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.guidesmith.support.Json;
import dev.guidesmith.testing.LogCapture;
import dev.guidesmith.testkit.Fleets;
import dev.guidesmith.testkit.InJvmService;
import dev.guidesmith.testkit.ServiceUnderTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Files API as an unmodified official client sees it ({@code com.openai:openai-java}, with
 * {@code base_url=http://127.0.0.1:<port>/v1}), against the real service in this JVM.
 */
class FilesApiTest {

    static final String KEY = "sk-guidesmith-test-7f3a9c2e51";

    @TempDir
    Path dir;

    private static Map<String, String> settings(String... pairs) {
        Map<String, String> settings = new HashMap<>(Fleets.instantSim(1));
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    private static OpenAIClient client(InJvmService service, String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + service.httpPort() + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    private Path requests(String name, int lines) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append("{\"custom_id\":\"").append(name).append('-').append(i).append("\",\"method\":\"POST\",")
                    .append("\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[]}}\n");
        }
        return Files.writeString(dir.resolve(name), text);
    }

    private static FileObject upload(OpenAIClient client, Path file) {
        return client.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build());
    }

    private static byte[] download(OpenAIClient client, String id) throws Exception {
        try (HttpResponse response = client.files().content(id); InputStream body = response.body()) {
            return body.readAllBytes();
        }
    }

    /** A request without the official client, for what it cannot send (no key at all) or would not show. */
    private static java.net.http.HttpResponse<String> raw(InJvmService service, String method, String path,
                                                          Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), BodyHandlers.ofString());
    }

    private List<Path> leftInUploads() throws Exception {
        Path uploads = dir.resolve("work/uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.toList();
        }
    }

    @Test
    void uploadRetrieveDownloadAndDeleteWithTheOfficialClient() throws Exception {
        Path file = requests("requests.jsonl", 3);
        try (InJvmService service = InJvmService.start(dir, settings())) {
            OpenAIClient client = client(service, "any key: none is set");

            FileObject uploaded = upload(client, file);

            assertThat(uploaded.id()).matches("file-[0-9a-f]{24}");
            assertThat(uploaded.filename()).isEqualTo("requests.jsonl");
            assertThat(uploaded.bytes()).isEqualTo(Files.size(file));
            assertThat(uploaded.purpose()).isEqualTo(FileObject.Purpose.BATCH);
            assertThat(uploaded.status()).isEqualTo(FileObject.Status.PROCESSED);
            assertThat(uploaded._object_().toString()).contains("file");
            assertThat(client.files().retrieve(uploaded.id())).isEqualTo(uploaded);
            assertThat(download(client, uploaded.id())).isEqualTo(Files.readAllBytes(file));
            assertThat(client.files().list().data()).containsExactly(uploaded);
            assertThat(leftInUploads()).as("the upload was moved into the store, not copied").isEmpty();

            FileDeleted deleted = client.files().delete(uploaded.id());

            assertThat(deleted.id()).isEqualTo(uploaded.id());
            assertThat(deleted.deleted()).isTrue();
            assertThat(client.files().list().data()).isEmpty();
            for (Runnable call : List.<Runnable>of(
                    () -> client.files().retrieve(uploaded.id()),
                    () -> client.files().content(uploaded.id()).close(),
                    () -> client.files().delete(uploaded.id()))) {
                assertThatThrownBy(call::run).isInstanceOf(NotFoundException.class)
                        .hasMessageContaining("No such File object: " + uploaded.id());
            }
            try (Stream<Path> stored = Files.list(dir.resolve("work/files"))) {
                assertThat(stored).as("metadata and content are both gone").isEmpty();
            }
        }
    }

    @Test
    void listsNewestFirstInPagesThatTheClientWalksByItself() throws Exception {
        try (InJvmService service = InJvmService.start(dir, settings())) {
            OpenAIClient client = client(service, "unused");
            List<String> uploaded = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                uploaded.add(upload(client, requests("part-" + i + ".jsonl", 1)).id());
            }
            List<String> newestFirst = client.files().list().data().stream().map(FileObject::id).toList();
            assertThat(newestFirst).containsExactlyInAnyOrderElementsOf(uploaded);

            FileListPage first = client.files().list(FileListParams.builder().limit(3L).build());
            assertThat(first.data()).extracting(FileObject::id).containsExactlyElementsOf(newestFirst.subList(0, 3));
            assertThat(first.hasMore()).contains(true);
            FileListPage second = client.files().list(FileListParams.builder().limit(3L).after(newestFirst.get(2)).build());
            assertThat(second.data()).extracting(FileObject::id).containsExactlyElementsOf(newestFirst.subList(3, 6));
            assertThat(second.hasMore()).contains(true);
            FileListPage third = second.nextPage();
            assertThat(third.data()).extracting(FileObject::id).containsExactly(newestFirst.get(6));
            assertThat(third.hasMore()).contains(false);
            assertThat(third.response()._firstId().asString()).contains(newestFirst.get(6));

            List<String> walked = StreamSupport.stream(first.autoPager().spliterator(), false).map(FileObject::id).toList();
            assertThat(walked).as("auto-pagination walks every page once").containsExactlyElementsOf(newestFirst);

            List<String> reversed = new ArrayList<>(newestFirst);
            java.util.Collections.reverse(reversed);
            FileListPage oldestFirst = client.files().list(FileListParams.builder().order(FileListParams.Order.ASC).limit(100L).build());
            assertThat(oldestFirst.data()).extracting(FileObject::id).containsExactlyElementsOf(reversed);
            assertThat(client.files().list(FileListParams.builder().purpose("batch_output").build()).data()).isEmpty();
            assertThat(client.files().list(FileListParams.builder().purpose("batch").build()).data()).hasSize(7);

            assertThatThrownBy(() -> client.files().list(FileListParams.builder().limit(0L).build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("limit must be a whole number from 1 to 10000");
            assertThatThrownBy(() -> client.files().list(FileListParams.builder().after("file-0123456789abcdef01234567").build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("after must be the id of a file in the list");
        }
    }

    @Test
    void refusesWhatItCannotTakeSayingWhatToDo() throws Exception {
        try (InJvmService service = InJvmService.start(dir, settings("pipeline.batch.max-file-mb", "1"))) {
            OpenAIClient client = client(service, "unused");

            assertThatThrownBy(() -> client.files().create(FileCreateParams.builder()
                    .file(requests("tune.jsonl", 1)).purpose(FilePurpose.FINE_TUNE).build()))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("purpose must be batch, not 'fine-tune'");
            assertThatThrownBy(() -> client.files().create(FileCreateParams.builder()
                    .file(new ByteArrayInputStream("{}\n".getBytes(StandardCharsets.UTF_8))).purpose(FilePurpose.BATCH).build()))
                    .as("a file part without a filename")
                    .isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("The part file has no filename");

            // 3 MB against a 1 MB limit, sent as the client sends any stream: chunked, no length known up front
            byte[] tooBig = new byte[3 * 1024 * 1024];
            assertThatThrownBy(() -> client.files().create(FileCreateParams.builder()
                    .file(MultipartField.<InputStream>builder().value(new ByteArrayInputStream(tooBig)).filename("big.jsonl").build())
                    .purpose(FilePurpose.BATCH).build()))
                    .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(413))
                    .hasMessageContaining("at most 1 MB (setting pipeline.batch.max-file-mb)");
            // the server deletes what it had received of the upload as it refuses it, asynchronously
            ServiceUnderTest.await("the refused upload to be deleted", Duration.ofSeconds(10), () -> leftInUploads().isEmpty());
            assertThat(client.files().list().data()).isEmpty();

            java.net.http.HttpResponse<String> unknown = raw(service, "GET", "/v1/nothing-here", Map.of());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(Json.MAPPER.readTree(unknown.body()).at("/error/message").asText()).startsWith("Invalid URL (GET /v1/nothing-here)");
            java.net.http.HttpResponse<String> wrongMethod = raw(service, "PUT", "/v1/files", Map.of());
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, POST");
            assertThat(Json.MAPPER.readTree(wrongMethod.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
            assertThat(raw(service, "GET", "/status", Map.of()).statusCode()).as("the status routes still answer").isEqualTo(200);
        }
    }

    @Test
    void withAnApiKeyEveryRequestMustCarryItAndTheKeyIsNeverLogged() throws Exception {
        Path file = requests("keyed.jsonl", 2);
        try (LogCapture log = new LogCapture();
             InJvmService service = InJvmService.start(dir, settings("pipeline.http.api-key", KEY))) {

            java.net.http.HttpResponse<String> noKey = raw(service, "GET", "/v1/files", Map.of());
            assertThat(noKey.statusCode()).isEqualTo(401);
            JsonNode error = Json.MAPPER.readTree(noKey.body()).get("error");
            assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.get("code").asText()).isEqualTo("invalid_api_key");
            assertThat(error.get("message").asText()).contains("pipeline.http.api-key").doesNotContain(KEY);
            assertThat(raw(service, "GET", "/v1/nothing-here", Map.of()).statusCode()).as("every /v1 path").isEqualTo(401);

            OpenAIClient wrong = client(service, "sk-not-the-key");
            assertThatThrownBy(() -> wrong.files().list()).isInstanceOf(UnauthorizedException.class)
                    .hasMessageContaining("Incorrect API key provided");
            assertThatThrownBy(() -> upload(wrong, file)).isInstanceOf(UnauthorizedException.class);
            assertThat(leftInUploads()).as("a refused upload is not written to disk").isEmpty();

            OpenAIClient right = client(service, KEY);
            FileObject uploaded = upload(right, file);
            assertThat(right.files().list().data()).containsExactly(uploaded);
            assertThat(download(right, uploaded.id())).isEqualTo(Files.readAllBytes(file));
            java.net.http.HttpResponse<String> reply = raw(service, "GET", "/v1/files/" + uploaded.id(), Map.of("Authorization", "Bearer " + KEY));
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.headers().map().toString()).as("the request's headers are not sent back").doesNotContain(KEY);
            assertThat(raw(service, "GET", "/status", Map.of()).statusCode()).as("the status page needs no key").isEqualTo(200);

            assertThat(log.text()).contains("pipeline.http.api-key = xxxxxx").doesNotContain(KEY);
        }
    }

    @Test
    void filesListedBeforeARestartAreThereAfterIt() throws Exception {
        List<FileObject> before;
        byte[] content;
        try (InJvmService service = InJvmService.start(dir, settings())) {
            OpenAIClient client = client(service, "unused");
            for (int i = 0; i < 3; i++) {
                upload(client, requests("kept-" + i + ".jsonl", i + 1));
            }
            before = client.files().list().data();
            content = download(client, before.get(0).id());
        }
        try (InJvmService service = InJvmService.start(dir, settings())) {
            OpenAIClient client = client(service, "unused");
            assertThat(client.files().list().data()).containsExactlyElementsOf(before);
            assertThat(download(client, before.get(0).id())).isEqualTo(content);
            FileObject after = upload(client, requests("new.jsonl", 1));
            assertThat(client.files().list().data()).hasSize(4).first().isEqualTo(after);
        }
    }

    @Test
    void withoutAServerThereAreNoApiRoutesButTheStoreIsThere() throws Exception {
        try (InJvmService service = InJvmService.start(dir, settings("pipeline.http.port", "0"))) {
            assertThat(service.context().getRoutes()).extracting(org.apache.camel.Route::getRouteId)
                    .isNotEmpty()
                    .noneMatch(id -> id.startsWith("api-") || id.startsWith("status-"));
            assertThat(service.bean("fileStore", dev.guidesmith.batch.FileStore.class)).isNotNull();
        }
    }
}
