package dev.guidesmith.llm;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What a GGUF file says about itself, read in Java from its header before any native code sees the
 * file: a file that is not GGUF is refused with a clear message instead of reaching llama.cpp, and
 * the embedded client learns the trained context (for {@code context=0}), whether a chat template
 * is built in, and whether the tokenizer adds a BOS token.
 *
 * <p>Format (GGUF v2 and v3, little-endian): magic {@code GGUF}, uint32 version, uint64 tensor count,
 * uint64 key-value count, then the key-value pairs (a key is a uint64-length UTF-8 string, a value
 * a uint32 type and the value). Only the header is read; tensors are not touched.
 *
 * @param architecture     {@code general.architecture}, e.g. {@code llama}
 * @param name             {@code general.name}, or null
 * @param contextLength    {@code <architecture>.context_length}: the context the model was trained with, 0 if absent
 * @param chatTemplate     {@code tokenizer.chat_template}, or null when the model has none
 * @param addBos           {@code tokenizer.ggml.add_bos_token} (true when absent, as for llama vocabularies)
 */
record GgufMetadata(String architecture, String name, int contextLength, String chatTemplate, boolean addBos) {

    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    /** Larger strings or arrays than this mean a corrupt header, not a model. */
    private static final long MAX_STRING_BYTES = 64L << 20;
    private static final long MAX_ENTRIES = 1L << 24;

    /** Reads the header of {@code file}; an IOException's message says what is wrong with the file. */
    static GgufMetadata read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            int magic = Integer.reverseBytes(readInt(in, file));
            if (magic != MAGIC) {
                throw new IOException("is not a GGUF file (it does not start with 'GGUF')");
            }
            int version = Integer.reverseBytes(readInt(in, file));
            if (version < 2 || version > 3) {
                throw new IOException("is GGUF version " + version + ", which this engine does not read (2 and 3 are supported)");
            }
            long tensors = Long.reverseBytes(in.readLong());
            long entries = Long.reverseBytes(in.readLong());
            if (tensors < 0 || entries < 0 || entries > MAX_ENTRIES) {
                throw new IOException("has a corrupt GGUF header (" + entries + " metadata entries)");
            }
            Map<String, Object> values = new HashMap<>();
            for (long i = 0; i < entries; i++) {
                String key = readString(in);
                int type = Integer.reverseBytes(in.readInt());
                Object value = readValue(in, type);
                if (value != null) {
                    values.put(key, value);
                }
            }
            String architecture = values.get("general.architecture") instanceof String a ? a : "unknown";
            int context = values.get(architecture + ".context_length") instanceof Number n ? (int) Math.min(Integer.MAX_VALUE, n.longValue()) : 0;
            String template = values.get("tokenizer.chat_template") instanceof String t && !t.isBlank() ? t : null;
            boolean addBos = !(values.get("tokenizer.ggml.add_bos_token") instanceof Boolean b) || b;
            String name = values.get("general.name") instanceof String n ? n : null;
            return new GgufMetadata(architecture, name, context, template, addBos);
        } catch (EOFException e) {
            throw new IOException("ends inside its GGUF header (is it a complete download?)");
        }
    }

    private static int readInt(DataInputStream in, Path file) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException("is not a GGUF file (it is only " + Files.size(file) + " bytes long)");
        }
    }

    /** The value, kept when scalar or string; arrays are skipped (null). */
    private static Object readValue(DataInputStream in, int type) throws IOException {
        switch (type) {
            case 0, 1:
                return (long) in.readByte();
            case 2, 3:
                return (long) Short.reverseBytes(in.readShort());
            case 4:
                return Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            case 5:
                return (long) Integer.reverseBytes(in.readInt());
            case 6:
                return (double) Float.intBitsToFloat(Integer.reverseBytes(in.readInt()));
            case 7:
                return in.readByte() != 0;
            case 8:
                return readString(in);
            case 9:
                skipArray(in);
                return null;
            case 10, 11:
                return Long.reverseBytes(in.readLong());
            case 12:
                return Double.longBitsToDouble(Long.reverseBytes(in.readLong()));
            default:
                throw new IOException("has a corrupt GGUF header (unknown value type " + type + ")");
        }
    }

    private static void skipArray(DataInputStream in) throws IOException {
        int type = Integer.reverseBytes(in.readInt());
        long count = Long.reverseBytes(in.readLong());
        if (count < 0 || count > MAX_STRING_BYTES) {
            throw new IOException("has a corrupt GGUF header (an array of " + count + " items)");
        }
        int width = switch (type) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case 4, 5, 6 -> 4;
            case 10, 11, 12 -> 8;
            default -> 0;
        };
        if (width > 0) {
            skip(in, count * width);
            return;
        }
        for (long i = 0; i < count; i++) {
            if (type == 8) {
                skip(in, stringLength(in));
            } else if (type == 9) {
                skipArray(in);
            } else {
                throw new IOException("has a corrupt GGUF header (unknown array type " + type + ")");
            }
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[(int) stringLength(in)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long stringLength(DataInputStream in) throws IOException {
        long length = Long.reverseBytes(in.readLong());
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new IOException("has a corrupt GGUF header (a string of " + length + " bytes)");
        }
        return length;
    }

    private static void skip(DataInputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                in.readByte(); // throws EOFException at the end
                skipped = 1;
            }
            left -= skipped;
        }
    }
}
