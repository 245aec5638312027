package dev.guidesmith.checks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One check every guide must pass, as the settings define it ({@code guide.check.<name>.*}): either
 * a command run on a piece of code of the guide, or the built-in check that the sections the guide
 * template needs are there.
 *
 * @param name     its name in {@code guide.checks}
 * @param language the code's language ({@code python}, {@code cpp}); empty for a sections check
 * @param code     where the code is in what the guide template sees ({@code solutions.python}); null
 *                 for a sections check
 * @param stage    the stage whose result holds the code (the one asked again when the check fails);
 *                 null for a sections check (each section names its own)
 * @param command  the command's arguments, {@code {file}} standing for the code's file; empty for a
 *                 sections check
 * @param commandText the command as the settings wrote it
 * @param setup    a command run once before the check's first run, in the folder the command names as
 *                 {@code {setup}}; empty for none
 * @param setupText the setup as the settings wrote it
 * @param data     what else the command reads, written as JSON to {@code data.json} ({@code {data}}): a
 *                 place in what the guide template sees ({@code examples.examples}); null for nothing
 * @param fileName the name of the code's file in the check's temporary folder
 * @param prelude  text put before the code (headers the code assumes); empty for none
 * @param timeout  how long the command may run
 * @param require  the paths that must be present and non-empty; empty for a command check
 */
public record CheckDefinition(
        String name,
        String language,
        GuidePath code,
        String stage,
        List<String> command,
        String commandText,
        List<String> setup,
        String setupText,
        GuidePath data,
        String fileName,
        String prelude,
        Duration timeout,
        List<GuidePath> require) {

    public CheckDefinition {
        command = List.copyOf(command);
        setup = List.copyOf(setup);
        require = List.copyOf(require);
    }

    /** The check with its setup's folder in place of {@code {setup}}. */
    CheckDefinition withSetupFolder(java.nio.file.Path folder) {
        List<String> argv = command.stream().map(arg -> arg.replace("{setup}", folder.toString())).toList();
        return new CheckDefinition(name, language, code, stage, argv, commandText, setup, setupText, data, fileName,
                prelude, timeout, require);
    }

    public boolean isSections() {
        return code == null;
    }

    /** What decides the check's verdicts: part of each guide's done key. */
    Map<String, Object> basis() {
        Map<String, Object> basis = new LinkedHashMap<>();
        if (isSections()) {
            basis.put("require", require.stream().map(GuidePath::toString).toList());
        } else {
            basis.put("code", code.toString());
            basis.put("command", commandText);
            basis.put("setup", setupText);
            basis.put("data", data == null ? null : data.toString());
            basis.put("file", fileName);
            basis.put("prelude", prelude);
        }
        return basis;
    }
}
