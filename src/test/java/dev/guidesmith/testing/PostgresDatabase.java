package dev.guidesmith.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.guidesmith.testkit.PostgresServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for a test class: started before its tests, stopped after them; the tests are
 * skipped, saying why, where PostgreSQL is not installed.
 * {@code @RegisterExtension static final PostgresDatabase POSTGRES = new PostgresDatabase();}
 */
public final class PostgresDatabase implements BeforeAllCallback, AfterAllCallback {

    private PostgresServer server;

    public PostgresServer server() {
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assumeTrue(PostgresServer.available(), PostgresServer::whyUnavailable);
        server = PostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
