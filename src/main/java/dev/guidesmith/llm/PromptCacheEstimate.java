package dev.guidesmith.llm;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many tokens of a prompt llama.cpp reuses from its slots' caches, for an in-process engine
 * whose binding does not report it: llama.cpp keeps each slot's last prompt, gives a new prompt
 * the idle slot whose cached prompt shares the longest prefix with it, and evaluates only the rest
 * (always the prompt's last token). So the estimate is the longest shared prefix with the last
 * prompts, one per slot; it is exact with one slot.
 */
final class PromptCacheEstimate {

    private final int slots;
    private final Deque<int[]> recent = new ArrayDeque<>();

    PromptCacheEstimate(int slots) {
        this.slots = Math.max(1, slots);
    }

    /** The prompt's tokens the cache holds, and the prompt is remembered as a slot's newest. */
    synchronized int cachedTokensOf(int[] prompt) {
        int best = 0;
        int[] holder = null;
        for (int[] cached : recent) {
            int shared = sharedPrefix(cached, prompt);
            if (shared > best) {
                best = shared;
                holder = cached;
            }
        }
        if (holder != null) {
            recent.remove(holder); // that slot now holds this prompt
        } else if (recent.size() >= slots) {
            recent.removeFirst(); // the least recently used slot
        }
        recent.addLast(prompt);
        return Math.min(best, Math.max(0, prompt.length - 1));
    }

    private static int sharedPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }
}
