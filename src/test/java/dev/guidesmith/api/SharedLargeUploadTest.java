package dev.guidesmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guidesmith.testing.PostgresDatabase;
import dev.guidesmith.testkit.Fleets;
import dev.guidesmith.testkit.PostgresServer;
import dev.guidesmith.testkit.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same upload as {@link LargeUploadTest}, several times larger than the heap, into the shared
 * store ({@code pipeline.store.url}): streamed into a PostgreSQL large object and out again block
 * by block, so the 64 MB heap never holds it, and nothing of it stays in the node's own folders.
 */
class SharedLargeUploadTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @TempDir
    Path dir;

    @Test
    void aFileLargerThanTheHeapIsStreamedIntoPostgresAndBackByteForByte() throws Exception {
        String url = POSTGRES.server().newDatabase();
        Map<String, String> settings = new HashMap<>(Fleets.instantSim(1));
        settings.put("pipeline.store.url", url);
        settings.put("pipeline.store.user", PostgresServer.USER);
        try (ServiceProcess service = ServiceProcess.start(dir, settings, "service.log", LargeUploadTest.HEAP)) {
            LargeUploadTest.awaitListening(service);
            LargeUploadTest.roundTrip(service, "PostgreSQL", file -> {
                try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, "");
                     PreparedStatement select = connection.prepareStatement(
                             "SELECT bytes, (SELECT sum(length(data)) FROM pg_largeobject WHERE loid = content)"
                                     + " FROM guidesmith_files WHERE id = ?")) {
                    select.setString(1, file.id());
                    try (ResultSet row = select.executeQuery()) {
                        assertThat(row.next()).as("the file's row").isTrue();
                        assertThat(row.getLong(1)).isEqualTo(LargeUploadTest.SIZE);
                        assertThat(row.getLong(2)).as("the large object's bytes").isEqualTo(LargeUploadTest.SIZE);
                    }
                }
                try (var left = Files.list(dir.resolve("work/uploads"))) {
                    assertThat(left.filter(Files::isRegularFile)).as("the upload, once in the database").isEmpty();
                }
            });
        }
    }
}
