package dev.guidesmith.api;

import dev.guidesmith.batch.FileObject;
import dev.guidesmith.batch.FileStore;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;

/**
 * OpenAI's Files API over the {@link FileStore} ({@code routes/api-files.camel.yaml}): upload, list,
 * retrieve, download, delete. Uploads arrive as files the HTTP server already streamed to disk
 * (platform-http hands each file part to the route as an attachment backed by that file), and are
 * moved into the store, never read into memory.
 */
public final class FilesApi {

    /** The only purpose an upload may have here: files for the Batch API. */
    static final String UPLOAD_PURPOSE = "batch";
    static final int MAX_LIST = 10_000;
    private static final String FORM = "Upload the file as multipart/form-data with two parts: file (the file, with a "
            + "filename) and purpose=batch.";

    private final FileStore files;
    private final UploadLimit limit;

    public FilesApi(FileStore files, UploadLimit limit) {
        this.files = files;
        this.limit = limit;
    }

    /** {@code POST /v1/files}. */
    public void upload(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, "", String.class);
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.invalidRequest("The request is " + (contentType.isEmpty() ? "not form data" : contentType)
                    + ". " + FORM, null);
        }
        Upload upload = theFile(exchange);
        String purpose = formField(in, "purpose")
                .orElseThrow(() -> ApiException.invalidRequest("The part purpose is missing. " + FORM, "purpose"));
        if (!UPLOAD_PURPOSE.equals(purpose)) {
            throw ApiException.invalidRequest("This service takes files for the Batch API only: purpose must be batch, not '"
                    + purpose + "'.", "purpose");
        }
        if (Files.size(upload.file()) > limit.maxFileBytes()) {
            throw limit.refusal();
        }
        FileObject stored = files.store(upload.file(), upload.filename(), purpose);
        ApiReplies.json(exchange, 200, stored);
    }

    /** {@code GET /v1/files?after&limit&order&purpose}: newest first unless {@code order=asc}. */
    public void list(Exchange exchange) {
        ApiRequest request = ApiRequest.of(exchange);
        int max = request.query("limit", 1, MAX_LIST, MAX_LIST);
        String order = request.query("order").orElse("desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.invalidRequest("order must be asc (oldest first) or desc (newest first), not '" + order + "'", "order");
        }
        String after = request.query("after").filter(a -> !a.isEmpty()).orElse(null);
        FileStore.Page page;
        try {
            page = files.list(new FileStore.Query(after, max, order.equals("asc"), request.query("purpose").orElse(null)));
        } catch (NoSuchElementException e) {
            throw ApiException.invalidRequest("No such File object: " + after + ". after must be the id of a file in the "
                    + "list (the last_id of the previous page); list again without after to start over.", "after");
        }
        ApiReplies.json(exchange, 200, ApiList.of(page.data(), FileObject::id, page.hasMore()));
    }

    /** {@code GET /v1/files/{id}}. */
    public void retrieve(Exchange exchange) {
        String id = ApiRequest.of(exchange).path("id");
        ApiReplies.json(exchange, 200, files.get(id).orElseThrow(() -> ApiException.noSuchFile(id, "id")));
    }

    /** {@code GET /v1/files/{id}/content}: the bytes as stored, streamed from disk. */
    public void content(Exchange exchange) throws IOException {
        String id = ApiRequest.of(exchange).path("id");
        Optional<InputStream> content;
        try {
            content = files.openContent(id);
        } catch (NoSuchFileException e) {
            throw ApiException.notFound("The content of " + id + " is no longer on the service's disk (removed by hand?). "
                    + "Delete the file object with DELETE /v1/files/" + id + ".", "id");
        }
        ApiReplies.bytes(exchange, content.orElseThrow(() -> ApiException.noSuchFile(id, "id")));
    }

    /** {@code DELETE /v1/files/{id}}. */
    public void delete(Exchange exchange) throws IOException {
        String id = ApiRequest.of(exchange).path("id");
        if (!files.delete(id)) {
            throw ApiException.noSuchFile(id, "id");
        }
        ApiReplies.json(exchange, 200, new FileDeleted(id, "file", true));
    }

    /** OpenAI's answer to a delete. */
    public record FileDeleted(String id, String object, boolean deleted) {
    }

    private record Upload(Path file, String filename) {
    }

    /** The one file part, named file, as the server saved it. */
    private static Upload theFile(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, DataHandler> parts = exchange.getMessage(AttachmentMessage.class).getAttachments();
        DataHandler part = parts == null ? null : parts.get("file");
        if (part == null) {
            String why = in.getHeader("file") != null
                    ? "The part file has no filename, so it was taken for a text field. Send it as a file: "
                            + "Content-Disposition: form-data; name=\"file\"; filename=\"requests.jsonl\"."
                    : parts == null || parts.isEmpty() ? "The part file is missing. " + FORM
                    : "There is no file part named file (got " + String.join(", ", parts.keySet()) + "). " + FORM;
            throw ApiException.invalidRequest(why, "file");
        }
        int fileParts = in.getHeader(Exchange.ATTACHMENTS_SIZE, 1, Integer.class);
        if (fileParts > 1) {
            throw ApiException.invalidRequest("The request has " + fileParts + " file parts: upload one file per request.", "file");
        }
        if (!(part.getDataSource() instanceof FileDataSource saved)) {
            throw new IllegalStateException("The HTTP server did not save the upload to a file (file uploads are off?)");
        }
        String filename = part.getName();
        if (filename == null || filename.isBlank()) {
            throw ApiException.invalidRequest("The part file has an empty filename: give the file a name.", "file");
        }
        return new Upload(saved.getFile().toPath(), filename);
    }

    /** A text field of the form; platform-http makes each a header. */
    private static Optional<String> formField(Message in, String name) {
        Object value = in.getHeader(name);
        if (value instanceof List<?> values) {
            throw ApiException.invalidRequest("The part " + name + " is given " + values.size() + " times: give it once.", name);
        }
        return Optional.ofNullable(value).map(Object::toString).map(String::trim).filter(v -> !v.isEmpty());
    }
}
