package dev.guidesmith.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guidesmith.llm.HttpReply;
import dev.guidesmith.llm.IdleTimeoutException;
import dev.guidesmith.llm.ServerHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * camel-http as the model clients use it, against a socket-level server: replies stream line by
 * line, only our own headers go out, and a server that sends nothing for the idle timeout (before
 * its headers or in the middle of its body) loses the call and its connection.
 */
class CamelModelHttpTest {

    private static final Duration IDLE = Duration.ofMillis(500);
    private static CamelModelHttp http;
    private RawServer server;
    private ServerHttp target;

    @BeforeAll
    static void startHttp() {
        http = CamelModelHttp.standalone();
    }

    @AfterAll
    static void stopHttp() {
        http.stop();
    }

    @AfterEach
    void stop() throws IOException {
        if (target != null) {
            target.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ServerHttp serverWith(String apiKey) throws IOException {
        server = new RawServer();
        target = http.server(server.uri(), apiKey, Duration.ofSeconds(2));
        return target;
    }

    @Test
    void linesArriveAsTheServerSendsThem() throws Exception {
        ServerHttp target = serverWith(null);
        CountDownLatch firstLineRead = new CountDownLatch(1);
        server.serve(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n");
            connection.chunk("{\"n\":1}\n");
            // the second line waits until the client has the first: a buffered reply would never get it
            firstLineRead.await(5, TimeUnit.SECONDS);
            connection.chunk("{\"n\":2}\n");
            connection.write("0\r\n\r\n");
        });
        try (HttpReply reply = target.send("/api/chat", "{}", Duration.ofSeconds(5))) {
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.nextLine()).isEqualTo("{\"n\":1}");
            firstLineRead.countDown();
            assertThat(reply.nextLine()).isEqualTo("{\"n\":2}");
            assertThat(reply.nextLine()).isNull();
        }
    }

    @Test
    void theRequestCarriesItsJsonTheBearerTokenAndNothingOfTheExchange() throws Exception {
        ServerHttp target = serverWith("sk-test-key");
        CompletableFuture<String> received = new CompletableFuture<>();
        server.serve(connection -> {
            received.complete(connection.readRequest());
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n");
        });
        try (HttpReply reply = target.send("/v1/chat/completions", "{\"content\":\"déjà vu — ok\"}", IDLE)) {
            assertThat(reply.nextLine()).isEqualTo("ok");
        }
        String request = received.get(5, TimeUnit.SECONDS);
        assertThat(request).startsWith("POST /v1/chat/completions HTTP/1.1\r\n")
                .contains("\r\nAuthorization: Bearer sk-test-key\r\n")
                .contains("\r\nAccept: " + ModelServerHeaders.ACCEPT + "\r\n")
                .containsIgnoringCase("\r\nContent-Type: application/json; charset=UTF-8\r\n")
                .endsWith("\r\n\r\n{\"content\":\"déjà vu — ok\"}");
        assertThat(request.toLowerCase(Locale.ROOT)).doesNotContain("\ncamel");
    }

    @Test
    void aGetHasNoBody() throws Exception {
        ServerHttp target = serverWith(null);
        CompletableFuture<String> received = new CompletableFuture<>();
        server.serve(connection -> {
            received.complete(connection.readRequest());
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n{\"status\":\"ok\"}\n");
        });
        try (HttpReply reply = target.send("/health", null, IDLE)) {
            assertThat(reply.nextLine()).isEqualTo("{\"status\":\"ok\"}");
        }
        assertThat(received.get(5, TimeUnit.SECONDS)).startsWith("GET /health HTTP/1.1\r\n").endsWith("\r\n\r\n")
                .doesNotContain("Authorization");
    }

    @Test
    void anErrorStatusComesBackWithItsBody() throws Exception {
        ServerHttp target = serverWith(null);
        server.serve(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 17\r\n\r\n{\"error\":\"busy\"}\n");
        });
        try (HttpReply reply = target.send("/api/chat", "{}", IDLE)) {
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.nextLine()).isEqualTo("{\"error\":\"busy\"}");
        }
    }

    @Test
    void aServerThatSendsNoHeadersLosesTheCallAndItsConnection() throws Exception {
        ServerHttp target = serverWith(null);
        CompletableFuture<Long> closedAfter = new CompletableFuture<>();
        server.serve(connection -> {
            connection.readRequest();
            long start = System.nanoTime();
            connection.awaitClose();
            closedAfter.complete((System.nanoTime() - start) / 1_000_000);
        });
        long start = System.nanoTime();
        assertThatThrownBy(() -> target.send("/api/chat", "{}", IDLE))
                .isInstanceOf(IdleTimeoutException.class).hasMessage("no response headers within 500 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(400L, 3000L);
        assertThat(closedAfter.get(5, TimeUnit.SECONDS)).isLessThan(3000L);
    }

    @Test
    void aServerThatStallsMidStreamLosesTheCallAndItsConnection() throws Exception {
        ServerHttp target = serverWith(null);
        CompletableFuture<Boolean> closed = new CompletableFuture<>();
        server.serve(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            connection.chunk("{\"n\":1}\n");
            connection.awaitClose();
            closed.complete(true);
        });
        try (HttpReply reply = target.send("/api/chat", "{}", IDLE)) {
            assertThat(reply.nextLine()).isEqualTo("{\"n\":1}");
            long start = System.nanoTime();
            assertThatThrownBy(reply::nextLine).isInstanceOf(IdleTimeoutException.class).hasMessage("no data for 500 ms");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(400L, 3000L);
            assertThat(closed.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void abortingFromAnotherThreadEndsARead() throws Exception {
        ServerHttp target = serverWith(null);
        server.serve(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            connection.chunk("{\"n\":1}\n");
            connection.awaitClose();
        });
        try (HttpReply reply = target.send("/api/chat", "{}", Duration.ofSeconds(30))) {
            assertThat(reply.nextLine()).isEqualTo("{\"n\":1}");
            CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(reply::abort);
            long start = System.nanoTime();
            assertThatThrownBy(reply::nextLine).isInstanceOf(IOException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000L);
        }
    }

    @Test
    void aReplyReadToItsEndLeavesItsConnectionForTheNextRequest() throws Exception {
        ServerHttp target = serverWith(null);
        server.serve(connection -> {
            for (int i = 0; i < 2; i++) {
                connection.readRequest();
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nok" + i + "\n");
            }
        });
        for (int i = 0; i < 2; i++) {
            try (HttpReply reply = target.send("/api/chat", "{}", IDLE)) {
                assertThat(reply.nextLine()).isEqualTo("ok" + i);
                assertThat(reply.nextLine()).isNull();
            }
        }
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void aRefusedConnectionIsAnIOException() throws Exception {
        ServerHttp target = serverWith(null);
        server.close();
        assertThatThrownBy(() -> target.send("/api/chat", "{}", IDLE)).isInstanceOf(java.net.ConnectException.class);
    }

    /** A server on a plain socket, so a test decides every byte and sees when the client hangs up. */
    private static final class RawServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new ArrayList<>();

        RawServer() throws IOException {
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        synchronized int connections() {
            return accepted.size();
        }

        void serve(Script script) {
            Thread thread = new Thread(() -> {
                try {
                    Socket client = socket.accept();
                    synchronized (this) {
                        accepted.add(client);
                    }
                    script.run(new Connection(client));
                } catch (Exception e) {
                    // the test closed the server
                }
            }, "raw-server");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (this) {
                for (Socket client : accepted) {
                    client.close();
                }
            }
        }
    }

    private interface Script {
        void run(Connection connection) throws Exception;
    }

    private record Connection(Socket socket) {

        /** The request's head and body (by its Content-Length). */
        String readRequest() throws IOException {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed");
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        void write(String text) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void chunk(String data) throws IOException {
            byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
            write(Integer.toHexString(bytes.length) + "\r\n" + data + "\r\n");
        }

        /** Returns when the client closed the connection, gracefully or with a reset (fails after 10 s). */
        void awaitClose() throws IOException {
            socket.setSoTimeout(10_000);
            try {
                while (socket.getInputStream().read() >= 0) {
                    // nothing more is expected
                }
            } catch (java.net.SocketException reset) {
                // closed abruptly: closed all the same
            }
        }
    }
}
