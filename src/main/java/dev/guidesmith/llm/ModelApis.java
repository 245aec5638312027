package dev.guidesmith.llm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/** The {@link ModelApi}s on the class path, found once with ServiceLoader, in the order they are registered. */
final class ModelApis {

    private static final Map<String, ModelApi> BY_NAME = load();

    private ModelApis() {
    }

    /** The API an endpoint's {@code api} setting names; an unknown name is refused with the known ones. */
    static ModelApi named(String endpoint, String value) {
        ModelApi api = BY_NAME.get(value.trim().toLowerCase(Locale.ROOT));
        if (api == null) {
            throw new IllegalArgumentException("llm.endpoint." + endpoint + ".api=" + value
                    + " is not a known API: use " + listed(names()));
        }
        return api;
    }

    static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** "a, b or c". */
    private static String listed(List<String> names) {
        if (names.size() < 2) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static Map<String, ModelApi> load() {
        Map<String, ModelApi> apis = new LinkedHashMap<>();
        // this class's loader, not the thread's: the registrations ship in the same jar
        for (ModelApi api : ServiceLoader.load(ModelApi.class, ModelApi.class.getClassLoader())) {
            ModelApi earlier = apis.putIfAbsent(api.name(), api);
            if (earlier != null) {
                throw new IllegalStateException("Two model APIs are named '" + api.name() + "': "
                        + earlier.getClass().getName() + " and " + api.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(apis);
    }
}
