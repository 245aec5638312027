package dev.guidesmith.stages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.support.Json;
import dev.guidesmith.support.Settings;
import dev.guidesmith.support.Templates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The stages of the pipeline, read from the settings ({@code pipeline.stages}, {@code stage.<name>.*})
 * and the prompt files users edit ({@code routes/prompts/<name>.mustache}, optional
 * {@code <name>.schema.json} and {@code <name>.repair.mustache}).
 */
public final class StageCatalog {

    private final List<StageDefinition> stages;
    private final String guideTemplateText;

    public StageCatalog(List<StageDefinition> stages, String guideTemplateText) {
        this.stages = List.copyOf(stages);
        this.guideTemplateText = guideTemplateText;
    }

    /**
     * @param endpointNames  every configured endpoint, to check {@code stage.<name>.endpoints}
     * @param modelsServing  the models a set of endpoints runs (empty set: the whole fleet)
     */
    public static StageCatalog load(Settings settings, Set<String> endpointNames,
                                    Function<Set<String>, Set<String>> modelsServing) {
        Path prompts = Path.of(settings.string("pipeline.prompts", "routes/prompts"));
        List<String> names = settings.list("pipeline.stages");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("Setting pipeline.stages is empty: list the stages in order,"
                    + " e.g. pipeline.stages=describe,topics,approaches,solutions");
        }
        if (new HashSet<>(names).size() < names.size()) {
            throw new IllegalArgumentException("Setting pipeline.stages=" + String.join(",", names) + " names a stage twice");
        }
        String preamble = optionalText(settings, "pipeline.system-prompt", prompts.resolve("system.md"),
                "system prompt every stage shares");
        List<StageDefinition> stages = new ArrayList<>();
        Set<String> outputsSoFar = new HashSet<>();
        for (int order = 0; order < names.size(); order++) {
            String name = names.get(order);
            String prefix = "stage." + name + ".";
            Path templateFile = Path.of(settings.string(prefix + "template", prompts.resolve(name + ".mustache").toString()));
            if (!Files.exists(templateFile)) {
                throw new IllegalArgumentException("Stage " + name + " is in pipeline.stages but has no prompt template: write "
                        + templateFile.toAbsolutePath() + " (or set " + prefix + "template), or take it out of pipeline.stages");
            }
            String templateText = Templates.read(templateFile, "prompt template of stage " + name);
            Path schemaFile = Path.of(settings.string(prefix + "schema", prompts.resolve(name + ".schema.json").toString()));
            JsonNode schema = Files.exists(schemaFile) ? readSchema(schemaFile, name) : null;
            Set<String> endpoints = new LinkedHashSet<>(settings.list(prefix + "endpoints"));
            for (String endpoint : endpoints) {
                if (!endpointNames.contains(endpoint)) {
                    throw new IllegalArgumentException("Setting " + prefix + "endpoints names '" + endpoint
                            + "', which is not in llm.endpoints=" + String.join(",", endpointNames));
                }
            }
            List<String> inputs = settings.list(prefix + "inputs");
            for (String input : inputs) {
                if (!ProblemFields.NAMES.contains(input) && !outputsSoFar.contains(input)) {
                    throw new IllegalArgumentException("Setting " + prefix + "inputs names '" + input + "', which is"
                            + " neither a problem field " + ProblemFields.NAMES + " nor the output of an earlier stage "
                            + outputsSoFar);
                }
            }
            Path repairFile = Path.of(settings.string(prefix + "repair-template",
                    prompts.resolve(name + ".repair.mustache").toString()));
            String repairText = Files.exists(repairFile) ? Templates.read(repairFile, "repair prompt of stage " + name) : null;
            String instructions = optionalText(settings, prefix + "system", prompts.resolve(name + ".system.md"),
                    "system prompt of stage " + name);
            String output = settings.string(prefix + "output", name);
            outputsSoFar.add(output);
            stages.add(new StageDefinition(
                    name,
                    order,
                    output,
                    inputs,
                    new StageSystem(preamble, instructions),
                    templateText,
                    Templates.compile(templateText),
                    schema,
                    settings.integer(prefix + "max-tokens", 1024),
                    settings.decimal(prefix + "temperature", 0.2),
                    endpoints,
                    modelsServing.apply(endpoints),
                    repairText,
                    repairText == null ? null : Templates.compile(repairText)));
        }
        Path guideTemplate = Path.of(settings.string("pipeline.guide-template", "routes/templates/guide.md.mustache"));
        return new StageCatalog(stages, Templates.read(guideTemplate, "guide template"));
    }

    /**
     * A prompt file that may be left out: its default place may hold nothing, but a file the user
     * names in {@code key} must be there. Empty text when there is none.
     */
    private static String optionalText(Settings settings, String key, Path defaultFile, String purpose) {
        String named = settings.string(key, null);
        if (named != null && named.isBlank()) {
            return ""; // set empty on purpose: none
        }
        Path file = named == null ? defaultFile : Path.of(named);
        if (!Files.exists(file)) {
            if (named != null) {
                throw new IllegalArgumentException("Setting " + key + "=" + named + " names a file that is not there ("
                        + file.toAbsolutePath() + "): write it, or leave the setting empty for no " + purpose);
            }
            return "";
        }
        return Templates.read(file, purpose);
    }

    private static JsonNode readSchema(Path file, String stage) {
        try {
            JsonNode schema = Json.MAPPER.readTree(file.toFile());
            if (schema == null || !schema.isObject()) {
                throw new IllegalArgumentException("The reply schema of stage " + stage + " (" + file + ") is not a JSON object");
            }
            return schema;
        } catch (IOException e) {
            throw new IllegalArgumentException("The reply schema of stage " + stage + " (" + file.toAbsolutePath()
                    + ") is not valid JSON: " + e.getMessage(), e);
        }
    }

    public List<StageDefinition> stages() {
        return stages;
    }

    public StageDefinition stage(String name) {
        for (StageDefinition stage : stages) {
            if (stage.name().equals(name)) {
                return stage;
            }
        }
        throw new IllegalArgumentException("No stage named '" + name + "' in pipeline.stages");
    }

    /** The stage whose result is known by {@code output} in templates, if any. */
    public java.util.Optional<StageDefinition> producing(String output) {
        return stages.stream().filter(stage -> stage.output().equals(output)).findFirst();
    }

    /** The stage every problem starts with. */
    public StageDefinition first() {
        return stages.get(0);
    }

    /** Where a problem goes after {@code stage}: the next stage's name, or {@code afterLast} after the last one. */
    public String next(String stage, String afterLast) {
        int order = stage(stage).order();
        return order + 1 < stages.size() ? stages.get(order + 1).name() : afterLast;
    }

    public String guideTemplateText() {
        return guideTemplateText;
    }
}
