package dev.guidesmith.problems;

/** The fields of a problem, whatever an input format calls them (see {@link ProblemFormats}). */
public enum ProblemField {
    ID, TITLE, SLUG, DIFFICULTY, TOPICS, COMPANIES, DESCRIPTION, PAID_ONLY
}
