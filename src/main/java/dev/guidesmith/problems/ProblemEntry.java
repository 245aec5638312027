package dev.guidesmith.problems;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a problems file before validation: its position (element number in a JSON array,
 * line number in JSONL) and either the parsed JSON or why it could not be parsed.
 */
public record ProblemEntry(String file, long position, JsonNode json, String parseError) {

    public String where() {
        return file + " entry #" + position;
    }
}
