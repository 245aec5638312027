package dev.guidesmith.llm;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.time.Duration;

/** {@link ModelHttp} over the JDK's {@code java.net.http.HttpClient}, its replies read by {@link LineStream}. */
public final class JdkModelHttp implements ModelHttp {

    @Override
    public ServerHttp server(URI base, String apiKey, Duration connect) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // model servers speak HTTP/1.1; skip the h2c upgrade dance
                .connectTimeout(connect)
                .build();
        return (path, jsonBody, idle) -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
            if (apiKey != null) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            request.header("Accept", "application/x-ndjson, text/event-stream, application/json");
            if (jsonBody == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody));
            }
            try {
                return LineStream.open(client, request.build(), idle.toMillis());
            } catch (HttpConnectTimeoutException e) {
                throw (IOException) new SocketTimeoutException("connect timed out").initCause(e);
            }
        };
    }
}
