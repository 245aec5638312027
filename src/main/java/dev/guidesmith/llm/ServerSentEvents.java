package dev.guidesmith.llm;

/** The one rule of server-sent events we need: a {@code data:} line carries a payload; others do not. */
final class ServerSentEvents {

    private ServerSentEvents() {
    }

    /** The payload of a {@code data:} line, or null for blank lines, comments and other fields. */
    static String data(String line) {
        if (!line.startsWith("data:")) {
            return null;
        }
        String data = line.substring(5);
        return data.startsWith(" ") ? data.substring(1) : data;
    }
}
