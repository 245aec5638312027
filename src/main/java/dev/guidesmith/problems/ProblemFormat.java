package dev.guidesmith.problems;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One input format as data: where its list of problems sits in a file's top-level object, and
 * which paths of an entry give each field (dotted, {@code stat.frontend_question_id}; tried in
 * order, the first present and non-null wins). The reading itself is {@link ProblemValidator}'s,
 * the same for every format.
 *
 * @param name             what users call it, for messages
 * @param shape            a short example of the file, for messages
 * @param lists            dotted paths of the array of entries in a top-level object
 * @param fields           the paths of each field; a field without paths is not in the format
 * @param difficultyNames  raw difficulty values the format encodes ({@code 1} for Easy), by name
 * @param digitIdsAreNumbers whether a digits-only id given as text is a number (LeetCode serves
 *                         its numbers as strings in one list and as numbers in the other)
 */
public record ProblemFormat(
        String name,
        String shape,
        List<String> lists,
        Map<ProblemField, List<String>> fields,
        Map<String, String> difficultyNames,
        boolean digitIdsAreNumbers) {

    public ProblemFormat {
        lists = List.copyOf(lists);
        Map<ProblemField, List<String>> copy = new EnumMap<>(ProblemField.class);
        fields.forEach((field, paths) -> copy.put(field, List.copyOf(paths)));
        fields = Map.copyOf(copy);
        difficultyNames = Map.copyOf(difficultyNames);
    }

    /** The field's value in an entry: at its first path that holds a non-null value, else null. */
    public JsonNode value(JsonNode entry, ProblemField field) {
        for (String path : fields.getOrDefault(field, List.of())) {
            JsonNode node = entry.at(pointer(path));
            if (!node.isMissingNode() && !node.isNull()) {
                return node;
            }
        }
        return null;
    }

    /** Whether the entry carries an id where this format keeps it: how an entry's format is told. */
    public boolean carriesId(JsonNode entry) {
        return value(entry, ProblemField.ID) != null;
    }

    /** Whether the entry is marked paid-only (LeetCode Premium): {@code true}, or text saying so. */
    public boolean paidOnly(JsonNode entry) {
        JsonNode flag = value(entry, ProblemField.PAID_ONLY);
        return flag != null && flag.asBoolean(false);
    }

    /** The field's paths as users would write them: {@code "questionFrontendId", "questionId"}. */
    public String pathsOf(ProblemField field) {
        return fields.getOrDefault(field, List.of()).stream().map(path -> "\"" + path + "\"")
                .collect(Collectors.joining(", "));
    }

    /** The list paths split into their field names: {@code [data, problemsetQuestionList, questions]}. */
    List<List<String>> listSteps() {
        return lists.stream().map(path -> Arrays.asList(path.split("\\."))).toList();
    }

    private static JsonPointer pointer(String dotted) {
        return JsonPointer.compile("/" + dotted.replace('.', '/'));
    }
}
