package dev.pipedesk.http;

import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The form of PipeDesk's opaque paging cursors: base64url (no padding) of a small JSON payload
 * (a record of the list's own: version, keyset position, fingerprint of what the list selects),
 * and the fingerprint itself. A cursor is not a secret: it keeps a client from depending on its
 * content, and the fingerprint catches one used with other filters.
 */
public final class OpaqueCursor {
    /** Longer cursors are refused unread. */
    public static final int MAX_LENGTH = 512;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private OpaqueCursor() {
    }

    /** The cursor of a payload (any JSON-serialisable record). */
    public static String encode(Object payload) {
        return ENCODER.encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The payload a cursor carries, or empty when it is too long, not base64url, not JSON or not
     * of the payload's shape (all the same to a client: not a cursor we issued).
     */
    public static <T> Optional<T> decode(String cursor, Class<T> payloadType) {
        if (cursor == null || cursor.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Json.read(new String(DECODER.decode(cursor), StandardCharsets.UTF_8), payloadType));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A fingerprint of what a list selects, apart from where its page starts: SHA-256 of the parts
     * as a JSON array, truncated to 96 bits, base64url (16 characters).
     */
    public static String fingerprint(Object... parts) {
        String canonical = Json.write(Arrays.asList(parts));
        return ENCODER.encodeToString(Arrays.copyOf(Hashes.sha256(canonical), 12));
    }

    /** Whether two fingerprints are equal, compared in constant time. */
    public static boolean sameFingerprint(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
