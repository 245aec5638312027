package dev.guidesmith.problems;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeNameTest {

    @Test
    void plainIdsStayAsTheyAre() {
        assertThat(SafeName.of("42")).isEqualTo("42");
        assertThat(SafeName.of("two-sum_2")).isEqualTo("two-sum_2");
    }

    @Test
    void anythingElseIsReducedAndHashed() {
        for (String id : new String[] {"../../x", "/etc/passwd", "a b", "..", "C:\\win", "ünï", "x".repeat(200), ".hidden"}) {
            String safe = SafeName.of(id);
            assertThat(safe).matches("[A-Za-z0-9][A-Za-z0-9_-]*").hasSizeLessThanOrEqualTo(64);
        }
        assertThat(SafeName.of("a b")).isNotEqualTo(SafeName.of("a_b"));
        assertThat(SafeName.of("../../x")).isNotEqualTo(SafeName.of("x"));
    }
}
