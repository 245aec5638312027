package dev.guidesmith.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.samskivert.mustache.Template;
import java.util.List;
import java.util.Set;

/**
 * A stage is data: a prompt template, an optional JSON schema for its reply, the inputs it reads,
 * where its result goes, and the model settings. Adding a stage means a template, a few properties
 * and a route-template instance, not a Java class.
 *
 * @param name        the stage's name ({@code describe}, {@code topics}, ...)
 * @param order       its place in the pipeline; later stages win when calls wait for a slot
 * @param output      the name its result is known by in later templates; a problem field of the
 *                    same name (e.g. {@code description}) supplies the result without a model call
 * @param inputs      problem fields and earlier outputs the prompt uses, most important first (the
 *                    last ones are shortened first when a prompt must fit a small context)
 * @param system      its system message: constant instructions sent before the problem's text
 * @param templateText the user message's template source (part of the fingerprint)
 * @param schema      the reply's JSON schema, or null for a free-text stage
 * @param endpoints   endpoints allowed to serve this stage; empty means any
 * @param models      the models those endpoints run (part of the fingerprint)
 * @param repairTemplateText the repair prompt's source ({@code <name>.repair.mustache}: asks the stage
 *                    again when a check of the guide fails on its result), or null when it has none
 */
public record StageDefinition(
        String name,
        int order,
        String output,
        List<String> inputs,
        StageSystem system,
        String templateText,
        Template template,
        JsonNode schema,
        int maxTokens,
        double temperature,
        Set<String> endpoints,
        Set<String> models,
        String repairTemplateText,
        Template repairTemplate) {

    public StageDefinition {
        inputs = List.copyOf(inputs);
        endpoints = Set.copyOf(endpoints);
        models = Set.copyOf(models);
    }

    public boolean isData() {
        return schema != null;
    }

    /** Whether the stage can be asked again to mend a result a check found wrong. */
    public boolean repairable() {
        return repairTemplate != null;
    }
}
