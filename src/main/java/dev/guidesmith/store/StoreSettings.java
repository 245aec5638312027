package dev.guidesmith.store;

import dev.guidesmith.support.Settings;
import java.time.Duration;

/**
 * Where the state several nodes share is kept: {@code pipeline.store.url} (a PostgreSQL JDBC URL),
 * {@code .user}, {@code .password}. Without a URL the state stays in local files, as on one node.
 */
public record StoreSettings(String url, String user, String password, int poolSize, Duration connectTimeout,
                            Duration leaderCheck) {

    public static final String URL_KEY = "pipeline.store.url";

    public static StoreSettings from(Settings settings) {
        return new StoreSettings(settings.string(URL_KEY, "").trim(),
                settings.string("pipeline.store.user", ""),
                settings.string("pipeline.store.password", ""),
                settings.integer("pipeline.store.pool-size", 8),
                settings.seconds("pipeline.store.connect-timeout-seconds", 10),
                settings.seconds("pipeline.store.leader-check-seconds", 2));
    }

    /** Whether the state is shared (a URL is set) rather than kept in local files. */
    public boolean shared() {
        return !url.isEmpty();
    }

    /** Names the store for messages: the URL and user, never the password. */
    public String describe() {
        return URL_KEY + "=" + url + (user.isEmpty() ? "" : " (pipeline.store.user=" + user + ")");
    }

    @Override
    public String toString() {
        return describe();
    }
}
