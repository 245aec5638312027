package dev.guidesmith.stages;

/**
 * What a check of a guide found wrong, as a repair prompt quotes it.
 *
 * @param check    the check's name ({@code python}, {@code cpp}, {@code sections}, ...)
 * @param stage    the stage whose result holds what failed; null when no stage produced it (the
 *                 input supplied it), so no stage can be asked to mend it
 * @param language the code's language ({@code python}, {@code cpp}); empty for a check of sections
 * @param field    where in the stage's result it sits ({@code python}, {@code approaches[1].cons})
 * @param code     the failing code as the guide would show it; empty when a section is missing
 * @param error    what the check's tool said (shortened when long)
 */
public record CheckFailure(String check, String stage, String language, String field, String code, String error) {
}
