package dev.guidesmith.camel;

import dev.guidesmith.api.ApiErrors;
import dev.guidesmith.api.ApiFallbacks;
import dev.guidesmith.api.ApiKeyCheck;
import dev.guidesmith.api.BatchesApi;
import dev.guidesmith.api.FilesApi;
import dev.guidesmith.api.UploadLimit;
import dev.guidesmith.batch.FileStore;
import dev.guidesmith.http.HttpServer;
import dev.guidesmith.support.Settings;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.spi.Registry;

/**
 * The beans of the OpenAI-compatible API, bound for {@code routes/api-*.camel.yaml}: the file store
 * (made with the batch beans: it exists with or without a server, and batches register their
 * inputs and results in it), the files and batches APIs, the error replies of the {@code openai-api} route configuration, and, on the server, the API
 * key check and the answers for {@code /v1} requests no route takes.
 */
final class ApiBeans {

    static final String API_PATH = "/v1";

    private ApiBeans() {
    }

    static void bind(CamelContext context, Settings settings, FileStore files, BatchesApi batchesApi, UploadLimit uploadLimit,
                     Optional<MainHttpServer> http) throws Exception {
        Registry registry = context.getRegistry();
        registry.bind("fileStore", files);
        registry.bind("filesApi", new FilesApi(files, uploadLimit));
        registry.bind("batchesApi", batchesApi);
        registry.bind("apiErrors", new ApiErrors());
        if (http.isEmpty()) {
            return;
        }
        MainHttpServer server = http.get();
        // read here, handed to the check, never logged (camel-main's placeholder summary masks "api-key" keys)
        settings.find(ApiKeyCheck.SETTING)
                .ifPresent(key -> HttpServer.authenticate(server, API_PATH + "/*", new ApiKeyCheck(key)));
        // the server's router exists once the server started, which it does before this service
        context.addService(new Lifecycle(() -> ApiFallbacks.install(server.getRouter(), API_PATH, uploadLimit), () -> { }), true, true);
    }
}
