package dev.guidesmith.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prepares the loading of llama.cpp's native library, which de.kherud's jar carries and extracts
 * when the {@code LlamaModel} class is first used. Left alone, it extracts {@code libjllama.so} to
 * {@code java.io.tmpdir} under a fixed name, replacing whatever is there, and first deletes every
 * file in that folder whose name starts with {@code llama} or {@code jllama}: two JVMs starting at
 * once could load a half-written library, and unrelated files could go. So, unless the user chose
 * a folder ({@code -Dde.kherud.llama.tmpdir} or {@code -Dde.kherud.llama.lib.path}), each JVM gets
 * a private folder of its own, removed at exit.
 */
final class LlamaNative {

    static final String TMPDIR = "de.kherud.llama.tmpdir";
    static final String LIB_PATH = "de.kherud.llama.lib.path";

    private static boolean prepared;

    private LlamaNative() {
    }

    /** Call before touching any de.kherud class that loads the library. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        if (System.getProperty(TMPDIR) == null && System.getProperty(LIB_PATH) == null) {
            try {
                Path dir = Files.createTempDirectory("guidesmith-llama-");
                // registered before the library file, so deleted after it (deleteOnExit runs in reverse)
                dir.toFile().deleteOnExit();
                System.setProperty(TMPDIR, dir.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a folder for llama.cpp's native library in "
                        + System.getProperty("java.io.tmpdir"), e);
            }
        }
        prepared = true;
    }
}
