package dev.guidesmith.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Builds the text of simulated replies: Markdown prose for plain requests, and for a JSON schema an instance that
 * validates against it (see {@link SchemaInstanceBuilder}). Everything it writes is plain ASCII, says it is simulated
 * ({@code [simulated]}), and depends only on the seed and the request key: same inputs, same text.
 */
public final class ReplyGenerator {

    /** Every generated text carries this marker (prose starts with it; code has it in its first comment). */
    public static final String MARK = "[simulated]";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String[] NOUNS = {
        "array", "hash map", "two pointers", "sliding window", "prefix sum", "stack", "queue", "heap",
        "binary search", "recursion", "memo table", "graph", "tree", "linked list", "interval", "bitmask",
        "counter", "index", "boundary", "invariant", "input", "result", "window", "pivot", "frontier",
        "visited set", "dp table", "substring", "subarray", "edge case"
    };
    private static final String[] ADJECTIVES = {
        "sorted", "valid", "balanced", "monotonic", "unique", "bounded", "consistent", "minimal", "stable",
        "non-empty", "contiguous", "optimal"
    };
    private static final String[] VERBS = {
        "track", "update", "compare", "extend", "shrink", "merge", "store", "scan", "check", "reuse"
    };
    private static final String[] COMPLEXITY = {"n", "n log n", "1", "n^2", "k", "n + m", "log n"};
    private static final String[] TEMPLATES = {
        "We use a %N to %V the %N while scanning the %N once.",
        "This keeps the %N %A and avoids a second pass over the %N.",
        "In the worst case the %N grows with the size of the %N.",
        "Check the %N before touching the %N, since an empty %N is a common edge case.",
        "The key invariant is that every %N left of the %N is already %A.",
        "Time complexity is O(%C) and extra space is O(%C).",
        "A brute-force version would %V every %N, which is too slow for the largest %N.",
        "When the %N stops being %A, %V the %N and continue.",
        "Each step can %V the %N in constant time, so the %N never needs a rebuild.",
        "Think of the %N as a %N that only ever gets more %A."
    };
    private static final String[] HEADINGS = {
        "Overview", "Key ideas", "Approach", "Walkthrough", "Edge cases", "Complexity", "Common mistakes",
        "Why it works", "Variations"
    };
    /** Coherent blocks of a Python function body (indented by the caller). */
    private static final String[][] PY_BLOCKS = {
        {"seen = {}", "for i, value in enumerate(nums):", "    if target - value in seen:",
            "        best = max(best, i - seen[target - value])", "    seen[value] = i"},
        {"left, right = 0, len(nums) - 1", "while left < right:", "    mid = (left + right) // 2",
            "    if nums[mid] < target:", "        left = mid + 1", "    else:", "        right = mid"},
        {"stack = []", "for value in nums:", "    while stack and stack[-1] < value:", "        stack.pop()",
            "    stack.append(value)", "best = max(best, len(stack))"},
        {"window = 0", "for right, value in enumerate(nums):", "    window += value",
            "    best = max(best, window)"},
        {"nums.sort()"},
        {"best += 1"},
    };
    /**
     * Coherent blocks of a C++ function body, braces balanced; a block that declares names has its own
     * scope, so a block used twice still compiles.
     */
    private static final String[][] CPP_BLOCKS = {
        {"{", "    unordered_map<int, int> seen;", "    for (int i = 0; i < (int) nums.size(); ++i) {",
            "        auto it = seen.find(target - nums[i]);",
            "        if (it != seen.end()) best = max(best, i - it->second);", "        seen[nums[i]] = i;", "    }", "}"},
        {"{", "    int left = 0, right = (int) nums.size() - 1;", "    while (left < right) {",
            "        int mid = left + (right - left) / 2;", "        if (nums[mid] < target) left = mid + 1;",
            "        else right = mid;", "    }", "}"},
        {"{", "    vector<int> stack;", "    for (int v : nums) {",
            "        while (!stack.empty() && stack.back() < v) stack.pop_back();",
            "        stack.push_back(v);", "    }", "    best = max(best, (int) stack.size());", "}"},
        {"sort(nums.begin(), nums.end());"},
        {"++best;"},
    };

    private final long seed;

    public ReplyGenerator(long seed) {
        this.seed = seed;
    }

    /**
     * Markdown prose of exactly {@code targetChars} characters (at least the marker), starting with
     * {@code [simulated]}.
     */
    public String prose(long key, int targetChars) {
        SplittableRandom rnd = random(key, 1);
        StringBuilder sb = new StringBuilder(targetChars + 200);
        sb.append(MARK).append(" # ").append(pick(rnd, NOUNS)).append(" study guide\n\n");
        int section = 0;
        while (sb.length() < targetChars) {
            sb.append("## ").append(HEADINGS[section++ % HEADINGS.length]).append("\n\n");
            int kind = section % 3;
            if (kind == 0) {
                for (int i = 0; i < 3; i++) {
                    sb.append("- ");
                    sentence(sb, rnd);
                    sb.append('\n');
                }
                sb.append('\n');
            } else if (kind == 2 && targetChars - sb.length() > 300) {
                sb.append("```python\n");
                sb.append(code("python", "solution", rnd.nextLong(), 160 + rnd.nextInt(120)));
                sb.append("\n```\n\n");
            } else {
                int n = 2 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(' ');
                    }
                    sentence(sb, rnd);
                }
                sb.append("\n\n");
            }
        }
        return cut(sb, targetChars);
    }

    /** A single prose string of about {@code targetChars} characters (exactly, if it is at least the marker's length). */
    String plainString(long key, int targetChars) {
        SplittableRandom rnd = random(key, 2);
        StringBuilder sb = new StringBuilder(targetChars + 120);
        sb.append(MARK);
        while (sb.length() < targetChars) {
            sb.append(' ');
            sentence(sb, rnd);
        }
        return cut(sb, targetChars);
    }

    /**
     * Code-looking multi-line text of about {@code targetChars}, in Python style, or C-family style when
     * {@code language} suggests one (cpp, c++, java, rust, go, js, ts). Its first line is a comment with the marker.
     */
    public String code(String language, String what, long key, int targetChars) {
        return code(language, what, random(key, 3), targetChars);
    }

    private String code(String language, String what, SplittableRandom rnd, int targetChars) {
        boolean braces = isBraceLanguage(language);
        String comment = braces ? "// " : "# ";
        StringBuilder sb = new StringBuilder(targetChars + 120);
        sb.append(comment).append(MARK).append(' ').append(what == null ? "code" : what).append('\n');
        String header = braces ? "int solve(vector<int>& nums, int target) {\n    int best = 0;\n"
                : "def solve(nums, target):\n    best = 0\n";
        String footer = braces ? "    return best;\n}" : "    return best";
        sb.append(header);
        String[][] blocks = braces ? CPP_BLOCKS : PY_BLOCKS;
        // whole blocks while they fit, then the smaller ones to get close to the target
        int misses = 0;
        while (misses < blocks.length * 2) {
            String[] block = blocks[rnd.nextInt(blocks.length)];
            int size = 0;
            for (String l : block) {
                size += 5 + l.length();
            }
            if (sb.length() + size + footer.length() > targetChars) {
                misses++;
                continue;
            }
            for (String l : block) {
                sb.append("    ").append(l).append('\n');
            }
        }
        sb.append(footer);
        return sb.toString();
    }

    /**
     * A JSON reply: an instance of {@code schema}, or of a small generic object when {@code schema} is null
     * ({@code format: "json"}, {@code json_object}), about {@code targetChars} long when serialized.
     */
    public String json(JsonNode schema, long key, int targetChars) {
        return json(schema, key, targetChars, 0).text();
    }

    /**
     * A JSON reply whose code fields are broken on purpose where {@code breakMask} says: bit {@code i} breaks the
     * {@code i}-th code-named string (in schema order). Everything else is as {@link #json(JsonNode, long, int)} writes it.
     *
     * @param text         the reply
     * @param brokenFields how many code fields it broke (0 when the mask named none that the reply has)
     */
    public record JsonReply(String text, int brokenFields) {
    }

    public JsonReply json(JsonNode schema, long key, int targetChars, int breakMask) {
        JsonNode effective = schema == null ? genericSchema() : schema;
        SchemaInstanceBuilder builder = new SchemaInstanceBuilder(this, effective, mix(seed, key), breakMask);
        JsonNode instance = builder.build(targetChars);
        try {
            return new JsonReply(MAPPER.writeValueAsString(instance), builder.brokenFields());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The code broken the way a model breaks code, so that a parser or a compiler rejects it: Python loses the colon
     * of its first block header, C-family code the last semicolon.
     */
    static String broken(String language, String code) {
        if (isBraceLanguage(language)) {
            int semicolon = code.lastIndexOf(';');
            return semicolon < 0 ? code + "\n{" : code.substring(0, semicolon) + code.substring(semicolon + 1);
        }
        java.util.regex.Matcher header = java.util.regex.Pattern.compile("(?m):[ \\t]*$").matcher(code);
        return header.find() ? code.substring(0, header.start()) + code.substring(header.start() + 1) : code + "\n    (";
    }

    static boolean isCodeName(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("python") || n.contains("cpp") || n.contains("c++") || n.contains("code")
                || n.contains("java") || n.contains("snippet") || n.contains("rust") || n.contains("golang")
                || n.equals("c") || n.equals("go") || n.equals("js") || n.equals("ts");
    }

    private static boolean isBraceLanguage(String language) {
        if (language == null) {
            return false;
        }
        String n = language.toLowerCase(Locale.ROOT);
        if (n.contains("python")) {
            return false;
        }
        return n.contains("cpp") || n.contains("c++") || n.contains("java") || n.contains("rust")
                || n.contains("golang") || n.equals("c") || n.equals("go") || n.equals("js") || n.equals("ts");
    }

    private static ObjectNode genericSchema() {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        props.putObject("simulated").put("type", "boolean");
        props.putObject("title").put("type", "string").put("maxLength", 60);
        props.putObject("summary").put("type", "string");
        ObjectNode points = props.putObject("points");
        points.put("type", "array").put("minItems", 3).put("maxItems", 3);
        points.putObject("items").put("type", "string");
        s.putArray("required").add("simulated").add("title").add("summary").add("points");
        return s;
    }

    SplittableRandom random(long key, int stream) {
        return new SplittableRandom(mix(mix(seed, key), stream));
    }

    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void sentence(StringBuilder sb, SplittableRandom rnd) {
        String t = pick(rnd, TEMPLATES);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '%' && i + 1 < t.length()) {
                char k = t.charAt(++i);
                switch (k) {
                    case 'N' -> sb.append(pick(rnd, NOUNS));
                    case 'A' -> sb.append(pick(rnd, ADJECTIVES));
                    case 'V' -> sb.append(pick(rnd, VERBS));
                    case 'C' -> sb.append(pick(rnd, COMPLEXITY));
                    default -> sb.append('%').append(k);
                }
            } else {
                sb.append(c);
            }
        }
    }

    private static String cut(StringBuilder sb, int targetChars) {
        int len = Math.max(targetChars, MARK.length());
        if (sb.length() > len) {
            sb.setLength(len);
        }
        int last = sb.length() - 1;
        if (last >= MARK.length() && Character.isWhitespace(sb.charAt(last))) {
            sb.setCharAt(last, '.');
        }
        return sb.toString();
    }

    private static String pick(SplittableRandom rnd, String[] options) {
        return options[rnd.nextInt(options.length)];
    }
}
