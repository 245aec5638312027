package dev.guidesmith.problems;

import dev.guidesmith.support.Hashing;
import java.util.regex.Pattern;

/**
 * Turns an id from the input into a file-name fragment. Plain ids ({@code 42}, {@code two-sum})
 * stay as they are; anything else ({@code ../../x}, {@code /etc/passwd}, spaces, unicode) is
 * reduced to safe characters and suffixed with a short hash of the original, so two different ids
 * never share a file and no id can reach outside its folder.
 */
public final class SafeName {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_-]+");

    private SafeName() {
    }

    public static String of(String id) {
        if (PLAIN.matcher(id).matches()) {
            return id;
        }
        String cleaned = UNSAFE.matcher(id).replaceAll("_").replaceAll("^[_-]+|[_-]+$", "");
        if (cleaned.length() > 40) {
            cleaned = cleaned.substring(0, 40);
        }
        String hash = Hashing.sha256(id).substring(0, 10);
        return cleaned.isEmpty() ? "id-" + hash : cleaned + "-" + hash;
    }
}
