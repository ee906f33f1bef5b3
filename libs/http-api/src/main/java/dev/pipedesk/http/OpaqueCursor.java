package dev.pipedesk.http;

import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The form of PipeDesk's opaque paging cursors: base64url (no padding) of a small JSON payload
 * (a record of the list's own: version, keyset position, fingerprint of what the list selects),
 * and the fingerprint itself. A cursor is not a secret: it keeps a client from depending on its
 * content, and the fingerprint catches one used with other filters.
 */
public final class OpaqueCursor {
    /** Longer cursors are refused unread. */
    public static final int MAX_LENGTH = 512;
    /** The 422 message on {@code cursor} for a cursor that is not one we issued. */
    public static final String INVALID = "is not a valid cursor; pass a next_cursor from a previous page unchanged";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** What a list's cursor payload tells about itself. */
    public interface Payload {
        /** Whether its version and values are ones the list could have issued. */
        boolean valid();

        /** The fingerprint of what the list selected when it issued the cursor. */
        String fingerprint();
    }

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
     * The payload of a cursor issued for this selection, or null with one {@code cursor} detail
     * reported to {@code problems}: {@link #INVALID} when it is not a valid payload of this type,
     * {@code otherSelection} when its fingerprint is not {@code fingerprint}.
     *
     * @param fingerprint the fingerprint of the request's selection, or null to check the cursor's form only
     */
    public static <T extends Payload> T read(String cursor, Class<T> payloadType, String fingerprint,
                                             String otherSelection, Consumer<FieldError> problems) {
        T payload = decode(cursor, payloadType).filter(Payload::valid).orElse(null);
        if (payload == null) {
            problems.accept(new FieldError("cursor", INVALID));
            return null;
        }
        if (fingerprint != null && !sameFingerprint(payload.fingerprint(), fingerprint)) {
            problems.accept(new FieldError("cursor", otherSelection));
            return null;
        }
        return payload;
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
