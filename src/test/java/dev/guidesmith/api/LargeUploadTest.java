package dev.guidesmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponse;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.guidesmith.support.Json;
import dev.guidesmith.testkit.Fleets;
import dev.guidesmith.testkit.ServiceProcess;
import dev.guidesmith.testkit.ServiceUnderTest;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload several times larger than the service's heap goes through: the server streams it to
 * disk and the store moves it into place, so the heap never holds it. The service runs as its own
 * process with a 64 MB heap; the 300 MB file is generated as the client sends it.
 */
class LargeUploadTest {

    static final String HEAP = "64m";
    static final long HEAP_BYTES = 64L << 20;
    static final int LINE = 200;
    static final int LINES = 1_572_864;
    static final long SIZE = (long) LINE * LINES;

    @TempDir
    Path dir;

    @Test
    void aFileLargerThanTheHeapIsStreamedToDiskAndBackByteForByte() throws Exception {
        Map<String, String> settings = new HashMap<>(Fleets.instantSim(1));
        try (ServiceProcess service = ServiceProcess.start(dir, settings, "service.log", HEAP)) {
            awaitListening(service);
            Path stored = dir.resolve("work/files");
            roundTrip(service, "local files", file -> {
                Path content = stored.resolve(file.id() + ".content");
                assertThat(Files.size(content)).isEqualTo(SIZE);
                try (SeekableByteChannel channel = Files.newByteChannel(content)) {
                    ByteBuffer lastLine = ByteBuffer.allocate(LINE);
                    channel.position(SIZE - LINE).read(lastLine);
                    assertThat(Json.MAPPER.readTree(lastLine.array()).path("custom_id").asText()).isEqualTo("r" + (LINES - 1));
                }
            });
        }
    }

    /** What a test checks of a file once it is stored, before it is downloaded. */
    interface StoredCheck {
        void check(FileObject file) throws Exception;
    }

    /** The service came up: its status answers (a crash at start says why). */
    static void awaitListening(ServiceProcess service) throws Exception {
        ServiceUnderTest.await("the service to listen", Duration.ofSeconds(60), () -> {
            if (!service.isAlive()) {
                throw new AssertionError("The service stopped:\n" + service.log());
            }
            return service.jobsSettled();
        });
    }

    /**
     * Uploads the generated file with the official client, checks it where it is stored, downloads
     * it again byte for byte, and checks the service's heap never held it.
     */
    static void roundTrip(ServiceProcess service, String where, StoredCheck stored) throws Exception {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + service.httpPort() + "/v1")
                .apiKey("unused")
                .maxRetries(0)
                .build();
        GeneratedRequests source = new GeneratedRequests();

        long start = System.nanoTime();
        FileObject file = client.files().create(FileCreateParams.builder()
                .file(MultipartField.<InputStream>builder().value(source).filename("large.jsonl").build())
                .purpose(FilePurpose.BATCH)
                .build());
        double uploadSeconds = (System.nanoTime() - start) / 1e9;

        assertThat(file.bytes()).isEqualTo(SIZE);
        stored.check(file);
        start = System.nanoTime();
        CRC32C downloaded = new CRC32C();
        long read = 0;
        try (HttpResponse response = client.files().content(file.id()); InputStream body = response.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0; read += n) {
                downloaded.update(buffer, 0, n);
            }
        }
        double downloadSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(read).isEqualTo(SIZE);
        assertThat(downloaded.getValue()).isEqualTo(source.checksum());

        long peak = service.peakHeapBytes();
        long live = service.peakHeapAfterCollectionBytes();
        System.out.printf("Large upload (%s): %d MB through a %s heap; upload %.1f s, download %.1f s; service heap peak %d MB, "
                + "most kept after a collection %d MB%n", where, SIZE >> 20, HEAP, uploadSeconds, downloadSeconds, peak >> 20,
                live >> 20);
        assertThat(SIZE).isGreaterThan(4 * HEAP_BYTES);
        assertThat(peak).as("the GC log was read").isPositive();
        assertThat(live).isLessThan(HEAP_BYTES);
        assertThat(service.isAlive()).isTrue();
    }

    /**
     * OpenAI batch request lines, {@value #LINES} of {@value #LINE} bytes, made as they are read, with
     * their CRC32C (cheap enough that the test measures the service, not the checksum).
     */
    private static final class GeneratedRequests extends InputStream {

        private static final byte[] HEAD = "{\"custom_id\":\"r0000000\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                .getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TAIL = "\"}]}}\n".getBytes(StandardCharsets.US_ASCII);
        private static final int ID_END = 21;

        private final CRC32C checksum = new CRC32C();
        private final byte[] line = new byte[LINE];
        private int lineNumber = -1;
        private int position = LINE;

        GeneratedRequests() {
            System.arraycopy(HEAD, 0, line, 0, HEAD.length);
            System.arraycopy(TAIL, 0, line, LINE - TAIL.length, TAIL.length);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int copied = 0;
            while (copied < length) {
                if (position == LINE && !nextLine()) {
                    break;
                }
                int n = Math.min(length - copied, LINE - position);
                System.arraycopy(line, position, buffer, offset + copied, n);
                position += n;
                copied += n;
            }
            if (copied == 0) {
                return length == 0 ? 0 : -1;
            }
            checksum.update(buffer, offset, copied);
            return copied;
        }

        /** The next line: its 7-digit custom_id, and a prompt of letters that shift with the line. */
        private boolean nextLine() {
            if (++lineNumber >= LINES) {
                return false;
            }
            for (int i = ID_END, n = lineNumber; i > ID_END - 7; i--, n /= 10) {
                line[i] = (byte) ('0' + n % 10);
            }
            for (int i = HEAD.length; i < LINE - TAIL.length; i++) {
                line[i] = (byte) ('a' + (lineNumber + i) % 26);
            }
            position = 0;
            return true;
        }

        long checksum() {
            return checksum.getValue();
        }
    }
}
