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

    /** The names a template reads: its variables and sections ({@code .} aside), nested ones included. */
    public static java.util.Set<String> names(Template template) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        template.visit(new Mustache.Visitor() {
            @Override
            public void visitText(String text) {
            }

            @Override
            public void visitVariable(String name) {
                add(name);
            }

            @Override
            public boolean visitInclude(String name) {
                return false;
            }

            @Override
            public boolean visitSection(String name) {
                add(name);
                return true;
            }

            @Override
            public boolean visitInvertedSection(String name) {
                add(name);
                return true;
            }

            private void add(String name) {
                if (!name.equals(".") && !name.equals("this") && !name.startsWith("-")) {
                    names.add(name);
                }
            }
        });
        return names;
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
