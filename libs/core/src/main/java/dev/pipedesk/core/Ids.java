package dev.pipedesk.core;

import java.util.Arrays;
import java.util.UUID;

/** Identifier helpers. */
public final class Ids {
    private static final char[] BASE32HEX = "0123456789abcdefghijklmnopqrstuv".toCharArray();

    private Ids() {
    }

    public static String uuid() {
        return UUID.randomUUID().toString();
    }

    /** Whether {@code id} is a UUID in its canonical text form (any case): an id PipeDesk issued for a row. */
    public static boolean isUuid(String id) {
        return id != null && id.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }

    /** A fresh Google-acceptable event id: base32hex ({@code [a-v0-9]}), 26 characters. */
    public static String newGoogleEventId() {
        UUID uuid = UUID.randomUUID();
        byte[] bytes = new byte[16];
        long hi = uuid.getMostSignificantBits();
        long lo = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (hi >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return base32hex(bytes);
    }

    /**
     * A deterministic Google event id for a key (e.g. an Idempotency-Key scoped to its user):
     * the same key always yields the same id, so a retried insert hits Google's 409 instead of
     * creating a second event.
     */
    public static String googleEventIdFor(String key) {
        return base32hex(Arrays.copyOf(Hashes.sha256(key), 20));
    }

    /** Lower-case base32hex without padding. */
    public static String base32hex(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32HEX[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32HEX[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }

    /** Whether Google accepts this as a client-chosen event id. */
    public static boolean isValidGoogleEventId(String id) {
        return id != null && id.matches("[a-v0-9]{5,1024}");
    }
}
