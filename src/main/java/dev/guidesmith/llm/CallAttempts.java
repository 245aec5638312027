package dev.guidesmith.llm;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The attempts of one model call: how many were made, on which endpoints, and how much reply room
 * a reply cut at its length limit had. It belongs to that call alone; the next stage's call starts
 * with a new one, so one stage's failures never spend another stage's retries.
 */
public final class CallAttempts {

    private int count;
    private final Set<String> endpoints = new LinkedHashSet<>();
    private int replyRoomCut;

    /** An attempt starts on {@code endpoint}. */
    synchronized void started(String endpoint) {
        count++;
        endpoints.add(endpoint);
    }

    /** A reply stopped at its length limit with this much room: the next attempt asks for more. */
    synchronized void replyCutAt(int room) {
        replyRoomCut = Math.max(replyRoomCut, room);
    }

    /** The most reply room an attempt had when its reply was cut at the limit; 0 when none was. */
    synchronized int replyRoomCut() {
        return replyRoomCut;
    }

    /** Attempts started so far. */
    public synchronized int count() {
        return count;
    }

    /** The endpoints the attempts went to, first first. */
    public synchronized Set<String> endpoints() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(endpoints));
    }
}
