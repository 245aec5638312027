package dev.guidesmith.support;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mustache templates for prompts and guides: logic-less, so users can edit them without learning a
 * language; no HTML escaping (the output is prompts and Markdown); a missing value renders empty.
 */
public final class Templates {

    private static final Mustache.Compiler COMPILER = Mustache.compiler()
            .escapeHTML(false)
            .defaultValue("")
            .emptyStringIsFalse(true)
            .zeroIsFalse(false);

    private Templates() {
    }

    public static Template compile(String source) {
        return COMPILER.compile(source);
    }

    public static String read(Path file, String purpose) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the " + purpose + " " + file.toAbsolutePath()
                    + " (" + e.getMessage() + "): check the path in application.properties", e);
        }
    }
}
