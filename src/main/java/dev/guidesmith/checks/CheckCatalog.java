package dev.guidesmith.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.guidesmith.stages.ProblemFields;
import dev.guidesmith.stages.StageCatalog;
import dev.guidesmith.stages.StageDefinition;
import dev.guidesmith.support.Settings;
import dev.guidesmith.support.Templates;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every guide must pass, read from the settings: {@code guide.checks} lists them, and
 * each is {@code guide.check.<name>.*}: a {@code command} run on the code at {@code code} (by
 * default the field named by its {@code language} in the stage whose schema declares it), or a list
 * of paths that must be present and non-empty ({@code require}). A command check whose tool is not
 * installed is skipped, said once at start-up, and never fails a guide.
 */
public final class CheckCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(CheckCatalog.class);
    private static final Map<String, String> EXTENSIONS = Map.of("python", "py", "cpp", "cpp", "c++", "cpp", "c", "c",
            "java", "java", "javascript", "js", "typescript", "ts", "go", "go", "rust", "rs");

    /** Whether a check runs here, and why not when it does not. */
    public record Availability(String check, boolean active, String note) {
    }

    private final List<CheckDefinition> active;
    private final List<Availability> availability;
    private final int repairs;

    CheckCatalog(List<CheckDefinition> active, List<Availability> availability, int repairs) {
        this.active = List.copyOf(active);
        this.availability = List.copyOf(availability);
        this.repairs = repairs;
    }

    /** Checks found on the PATH (or at their path) of this machine. */
    public static CheckCatalog load(Settings settings, StageCatalog stages) {
        return load(settings, stages, CheckCatalog::installed);
    }

    static CheckCatalog load(Settings settings, StageCatalog stages, Predicate<String> toolInstalled) {
        List<String> names = settings.list("guide.checks");
        if (new HashSet<>(names).size() < names.size()) {
            throw new IllegalArgumentException("Setting guide.checks=" + String.join(",", names) + " names a check twice");
        }
        int repairs = settings.integer("guide.check.repairs", 2);
        if (repairs < 0) {
            throw new IllegalArgumentException("Setting guide.check.repairs=" + repairs + " is negative: give 0 for no repairs");
        }
        String root = Path.of("").toAbsolutePath().toString();
        Path setupBase = Path.of(settings.string("guide.check.setup-folder",
                Path.of(System.getProperty("java.io.tmpdir"), "guidesmith-check-setup").toString()));
        List<CheckDefinition> active = new ArrayList<>();
        List<Availability> availability = new ArrayList<>();
        for (String name : names) {
            CheckDefinition check = define(settings, stages, name, repairs, root);
            if (check.isSections()) {
                active.add(check);
                availability.add(new Availability(name, true, "sections: " + check.require().size() + " required"));
                continue;
            }
            String tool = check.command().get(0);
            if (!toolInstalled.test(tool)) {
                String note = tool + " is not installed here";
                availability.add(new Availability(name, false, note));
                LOG.warn("Check {} is skipped: {} ({} not found{}). Guides are written without it; install {} and restart"
                                + " to check {} code, or take {} out of guide.checks.", name, note, tool,
                        tool.contains(File.separator) ? "" : " on the PATH", tool, check.language(), name);
                continue;
            }
            if (!check.setup().isEmpty()) {
                check = check.withSetupFolder(CheckSetup.prepare(name, check.setup(), setupBase));
            }
            active.add(check);
            availability.add(new Availability(name, true, check.commandText()));
        }
        if (!active.isEmpty()) {
            LOG.info("Guides are checked before they are written: {}; a failing check asks its stage again up to {} time(s)",
                    String.join(", ", active.stream().map(c -> c.isSections() ? c.name() + " (sections)"
                            : c.name() + " (" + c.commandText() + " on " + c.code() + ")").toList()), repairs);
        }
        return new CheckCatalog(active, availability, repairs);
    }

    private static CheckDefinition define(Settings settings, StageCatalog stages, String name, int repairs, String root) {
        String prefix = "guide.check." + name + ".";
        Optional<String> command = settings.find(prefix + "command");
        List<String> require = settings.list(prefix + "require");
        if (command.isPresent() == !require.isEmpty()) {
            throw new IllegalArgumentException("Check " + name + " (in guide.checks) needs either " + prefix + "command (a"
                    + " command run on code of the guide) or " + prefix + "require (sections that must be there), not "
                    + (command.isPresent() ? "both" : "neither"));
        }
        Duration timeout = settings.seconds(prefix + "timeout-seconds", 30);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Setting " + prefix + "timeout-seconds must be above 0");
        }
        if (command.isEmpty()) {
            List<GuidePath> paths = require.stream().map(p -> GuidePath.parse(p, prefix + "require")).toList();
            for (GuidePath path : paths) {
                known(stages, path, prefix + "require");
            }
            return new CheckDefinition(name, "", null, null, List.of(), "", List.of(), "", null, "", "", timeout, paths);
        }
        String language = settings.find(prefix + "language").orElseThrow(() -> new IllegalArgumentException(
                "Setting " + prefix + "language is missing: say which code check " + name + " reads (python, cpp, ...)"))
                .toLowerCase(Locale.ROOT);
        GuidePath code = settings.find(prefix + "code").map(p -> GuidePath.parse(p, prefix + "code"))
                .orElseGet(() -> codeOf(stages, name, language, prefix));
        if (!code.plain()) {
            throw new IllegalArgumentException("Setting " + prefix + "code=" + code + " must name one field, like solutions.python");
        }
        StageDefinition stage = stages.producing(code.root()).orElseThrow(() -> new IllegalArgumentException(
                "Setting " + prefix + "code=" + code + " starts with '" + code.root() + "', which is no stage's output"));
        if (repairs > 0 && !stage.repairable()) {
            throw new IllegalArgumentException("Check " + name + " reads " + code + ", made by stage " + stage.name()
                    + ", which has no repair prompt: write " + Path.of(settings.string("pipeline.prompts", "routes/prompts"))
                    .resolve(stage.name() + ".repair.mustache").toAbsolutePath() + " (see solutions.repair.mustache), or set"
                    + " guide.check.repairs=0");
        }
        List<String> argv = CommandLine.split(command.get(), prefix + "command").stream()
                .map(arg -> arg.replace("{root}", root)).toList();
        Optional<String> setupText = settings.find(prefix + "setup");
        List<String> setup = setupText.map(text -> CommandLine.split(text, prefix + "setup").stream()
                .map(arg -> arg.replace("{root}", root)).toList()).orElse(List.of());
        if (setup.isEmpty() && argv.stream().anyMatch(arg -> arg.contains("{setup}"))) {
            throw new IllegalArgumentException("Setting " + prefix + "command names {setup}, but " + prefix + "setup (the"
                    + " command that prepares that folder) is not set");
        }
        String fileName = settings.string(prefix + "file", "solution." + EXTENSIONS.getOrDefault(language, language));
        if (fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("Setting " + prefix + "file=" + fileName + " must be a plain file name");
        }
        String prelude = settings.find(prefix + "prelude-file")
                .map(file -> Templates.read(Path.of(file), "prelude of check " + name))
                .orElse(settings.string(prefix + "prelude", ""));
        GuidePath data = settings.find(prefix + "data").map(p -> GuidePath.parse(p, prefix + "data")).orElse(null);
        if (data != null) {
            if (!data.plain()) {
                throw new IllegalArgumentException("Setting " + prefix + "data=" + data + " must name one field, like examples.examples");
            }
            if (!ProblemFields.NAMES.contains(data.root()) && stages.producing(data.root()).isEmpty()) {
                throw new IllegalArgumentException("Check " + name + " reads " + data + " (" + prefix + "data), but no stage"
                        + " in pipeline.stages makes '" + data.root() + "': add that stage to pipeline.stages, or take "
                        + name + " out of guide.checks");
            }
        } else if (argv.stream().anyMatch(arg -> arg.contains("{data}"))) {
            throw new IllegalArgumentException("Setting " + prefix + "command names {data}, but " + prefix + "data (what"
                    + " goes into it) is not set");
        }
        return new CheckDefinition(name, language, code, stage.name(), argv, command.get().strip(), setup,
                setupText.orElse(""), data, fileName, prelude, timeout, List.of());
    }

    /** By default a check reads the field named like its language in the stage whose schema declares one. */
    private static GuidePath codeOf(StageCatalog stages, String name, String language, String prefix) {
        for (StageDefinition stage : stages.stages()) {
            JsonNode properties = stage.isData() ? stage.schema().path("properties") : null;
            if (properties != null && properties.has(language)) {
                return GuidePath.parse(stage.output() + "." + language, prefix + "code");
            }
        }
        throw new IllegalArgumentException("Check " + name + " reads " + language + " code, but no stage's reply schema has"
                + " a field named " + language + ": set " + prefix + "code to where the code is (like solutions.python)");
    }

    private static void known(StageCatalog stages, GuidePath path, String setting) {
        if (!ProblemFields.NAMES.contains(path.root()) && stages.producing(path.root()).isEmpty()) {
            throw new IllegalArgumentException("Setting " + setting + " names " + path + ", but '" + path.root()
                    + "' is neither a problem field " + ProblemFields.NAMES + " nor a stage's output");
        }
    }

    /** A program by path, or found on the PATH. */
    static boolean installed(String tool) {
        return locate(tool) != null;
    }

    /** The program's file: the path itself, or the first match on the PATH; null when there is none. */
    static Path locate(String tool) {
        if (tool.contains("/") || tool.contains(File.separator)) {
            Path file = Path.of(tool);
            return Files.isRegularFile(file) && Files.isExecutable(file) ? file : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, tool);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** The checks that run here, in the order of {@code guide.checks}. */
    public List<CheckDefinition> active() {
        return active;
    }

    /** Every check of {@code guide.checks}, whether it runs here or not. */
    public List<Availability> availability() {
        return availability;
    }

    public int repairs() {
        return repairs;
    }

    /** What the checks in force are, for the done key; null when there are none. */
    public Object basis() {
        if (active.isEmpty()) {
            return null;
        }
        Map<String, Object> basis = new LinkedHashMap<>();
        active.forEach(check -> basis.put(check.name(), check.basis()));
        return basis;
    }
}
