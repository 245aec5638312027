package dev.guidesmith.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** What "a complete guide" means, checked on the file. */
public final class GuideAssertions {

    private GuideAssertions() {
    }

    public static void assertComplete(Path guide) throws IOException {
        String text = Files.readString(guide);
        assertThat(text).as(guide + " starts with front matter").startsWith("---\n");
        int end = text.indexOf("\n---\n", 4);
        assertThat(end).as(guide + " closes its front matter").isPositive();
        Object front = new Load(LoadSettings.builder().build()).loadFromString(text.substring(4, end));
        assertThat(front).as(guide + " front matter is YAML").isInstanceOf(java.util.Map.class);
        java.util.Map<?, ?> fields = (java.util.Map<?, ?>) front;
        for (String key : List.of("id", "title", "slug", "difficulty", "topics")) {
            assertThat(fields.get(key)).as(guide + " front matter " + key).isNotNull();
        }
        for (String heading : List.of("## Problem", "## Explanation", "### Constraints", "### Edge cases", "### Key insight",
                "## Approaches", "### 1. ", "### 2. ", "**Pros**", "**Cons**", "**Complexity:**", "## Solutions",
                "```python\n", "```cpp\n", "## Complexity")) {
            assertThat(text).as(guide + " has " + heading.strip()).contains(heading);
        }
        assertThat(text).as(guide + " has no unfilled placeholder").doesNotContain("{{");
        String python = text.substring(text.indexOf("```python\n") + 10, text.indexOf("```", text.indexOf("```python\n") + 10));
        assertThat(python.strip()).as(guide + " has Python code").isNotEmpty();
        String cpp = text.substring(text.indexOf("```cpp\n") + 7, text.indexOf("```", text.indexOf("```cpp\n") + 7));
        assertThat(cpp.strip()).as(guide + " has C++ code").isNotEmpty();
    }
}
