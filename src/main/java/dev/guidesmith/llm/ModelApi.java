package dev.guidesmith.llm;

/**
 * One API the service can speak to model servers, under the name {@code llm.endpoint.<name>.api}
 * gives it. Implementations are found with {@link java.util.ServiceLoader} from
 * {@code META-INF/services/dev.guidesmith.llm.ModelApi} (see {@link ModelApis}), so an API is added
 * with a class and a line there, and this package knows none of them by name.
 */
public interface ModelApi {

    /** Its name in {@code llm.endpoint.<name>.api}, in lower case. */
    String name();

    /** The url of an endpoint that sets none; empty for APIs that need no address. */
    String defaultUrl();

    /** The model of an endpoint that sets none, or null when {@code llm.endpoint.<name>.model} is required. */
    default String defaultModel() {
        return null;
    }

    /**
     * Whether its servers may report how many calls they run at once (llama-server's {@code /props}
     * {@code total_slots}); an endpoint that leaves {@code slots} out then takes the server's figure.
     */
    default boolean mayReportSlots() {
        return false;
    }

    /**
     * The client for one endpoint, made once at start. Keys of the API's own
     * ({@code llm.endpoint.<name>.<api>.*}) are read here, from {@link EndpointSettings#settings()}
     * under {@link EndpointSettings#key(String)}; a bad one is an IllegalArgumentException that says
     * which key and why. {@code wiring} holds the call timeouts and the HTTP the network APIs go through.
     */
    ModelClient client(EndpointSettings endpoint, ClientWiring wiring);
}
