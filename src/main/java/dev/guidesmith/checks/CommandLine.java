package dev.guidesmith.checks;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a check's command, as written in the settings, into the argument list the process gets:
 * words separated by spaces, {@code "..."} and {@code '...'} keep spaces in one argument, and
 * {@code \} escapes the next character outside single quotes. No shell runs: nothing in the code a
 * model wrote (which only ever reaches the process as a file or on stdin) is interpreted.
 */
final class CommandLine {

    private CommandLine() {
    }

    static List<String> split(String command, String setting) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\\' && i + 1 < command.length()) {
                word.append(command.charAt(++i));
                inWord = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("Setting " + setting + "=" + command + " has an unclosed " + quote
                    + " quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("Setting " + setting + " is empty: give the command that checks the code");
        }
        return List.copyOf(words);
    }
}
