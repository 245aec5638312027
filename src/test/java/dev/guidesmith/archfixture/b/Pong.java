package dev.guidesmith.archfixture.b;

import dev.guidesmith.archfixture.a.Ping;

/** The other half of the deliberate cycle. */
public final class Pong {

    public Ping serve() {
        return new Ping();
    }
}
