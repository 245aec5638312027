package dev.guidesmith.archfixture.a;

import dev.guidesmith.archfixture.b.Pong;

/** A deliberate package cycle (a → b → a), for the test that proves the cycle rule can fail. */
public final class Ping {

    public Pong answer() {
        return new Pong();
    }
}
