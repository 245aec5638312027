package dev.guidesmith.sim;

/**
 * Thrown out of a handler to make the JDK HTTP server close the connection at once, without finishing the reply
 * (no terminating chunk, no status line if none was sent).
 */
final class DropConnection extends RuntimeException {

    DropConnection() {
        super("connection dropped by the simulated server", null, false, false);
    }
}
