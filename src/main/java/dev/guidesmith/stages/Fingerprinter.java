package dev.guidesmith.stages;

import dev.guidesmith.jobs.JobEntry;
import dev.guidesmith.problems.Problem;
import dev.guidesmith.support.Hashing;
import dev.guidesmith.support.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes, before any work, what each stage of a problem will be keyed by: a hash of the stage's
 * system message, template, schema, model settings, the models that may serve it, and its inputs. An input that is
 * an earlier stage's output enters by that stage's fingerprint, so a change anywhere reaches every
 * later stage and nothing before it. The guide's "done key" hashes the guide template and the
 * checks a guide must pass with all of them: a problem is finished exactly when a guide with its
 * done key was written and passed its checks.
 */
public final class Fingerprinter {

    private final StageCatalog catalog;
    private final Object checks;

    public Fingerprinter(StageCatalog catalog) {
        this(catalog, null);
    }

    /** @param checks what the guide's checks are (their definitions), or null when there are none */
    public Fingerprinter(StageCatalog catalog, Object checks) {
        this.catalog = catalog;
        this.checks = checks;
    }

    public WorkItem plan(String jobId, long position, Problem problem) {
        Map<String, Object> fields = ProblemFields.of(problem);
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, Object> references = new TreeMap<>();
        for (StageDefinition stage : catalog.stages()) {
            if (fields.containsKey(stage.output())) {
                references.put(stage.output(), fields.get(stage.output()));
                continue;
            }
            Map<String, Object> inputs = new TreeMap<>();
            for (String input : stage.inputs()) {
                inputs.put(input, fields.containsKey(input) ? fields.get(input) : references.get(input));
            }
            Map<String, Object> basis = new TreeMap<>();
            basis.put("stage", stage.name());
            basis.put("output", stage.output());
            basis.put("system", stage.system().text());
            basis.put("template", stage.templateText());
            basis.put("schema", stage.schema());
            basis.put("maxTokens", stage.maxTokens());
            basis.put("temperature", stage.temperature());
            basis.put("models", new TreeSet<>(stage.models()));
            basis.put("inputs", inputs);
            String fingerprint = Hashing.sha256(Json.canonical(basis));
            fingerprints.put(stage.name(), fingerprint);
            references.put(stage.output(), "stage:" + fingerprint);
        }
        Map<String, Object> guideBasis = new TreeMap<>();
        guideBasis.put("guideTemplate", catalog.guideTemplateText());
        guideBasis.put("problem", fields);
        guideBasis.put("results", references);
        if (checks != null) { // a new check (or a tool installed since) checks guides written before it
            guideBasis.put("checks", checks);
        }
        String doneKey = problem.id() + "@" + Hashing.sha256(Json.canonical(guideBasis)).substring(0, 24);
        return new WorkItem(jobId, position, problem, fingerprints, doneKey, JobEntry.STAGE);
    }
}
