package dev.guidesmith.batch;

/**
 * What is wrong with a batch input file, as OpenAI's batch object lists it in {@code errors.data}.
 *
 * @param line  the line it is about, or 0 for the whole file
 * @param param the request field at fault, or null
 */
public record BatchProblem(String code, long line, String message, String param) {
}
