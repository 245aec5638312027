package dev.guidesmith.jobs;

/**
 * The unit job kinds estimate an item's work in ({@link JobKind#expectedWork}): output tokens'
 * worth, the thing a model server spends its time on. Only the order of estimates matters, so
 * the figures are rough on purpose.
 */
public final class ExpectedWork {

    /** Reading a prompt token costs about a tenth of writing one: servers evaluate a prompt in batches. */
    public static final double PER_PROMPT_TOKEN = 0.1;
    /** Characters per token of English text, the usual rough rule (only the order of estimates matters). */
    public static final double CHARS_PER_TOKEN = 4;

    private ExpectedWork() {
    }

    /** The work of reading a prompt of this many characters. */
    public static double ofPrompt(long chars) {
        return chars / CHARS_PER_TOKEN * PER_PROMPT_TOKEN;
    }
}
