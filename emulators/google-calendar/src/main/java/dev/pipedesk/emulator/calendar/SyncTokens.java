package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.Json;
import tools.jackson.core.JacksonException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Opaque sync and page tokens and their invalidation. Not thread-safe on its own: used only
 * under {@link CalendarService}'s lock.
 */
final class SyncTokens {

    /**
     * What a sync token encodes.
     *
     * @param c calendar id
     * @param s the calendar's change number when issued: the next sync returns later changes
     * @param f the selecting parameters allowed alongside a sync token (singleEvents, eventTypes)
     * @param n serial number of this token (for invalidation)
     * @param t when it was issued, epoch millis
     * @param e the token generation (changes on reset and between emulator runs)
     */
    record SyncToken(String c, long s, String f, long n, long t, long e) {
    }

    /**
     * What a page token encodes.
     *
     * @param c calendar id
     * @param s the change number the listing started at: later changes belong to the next sync
     * @param q signature of the query; the next page must repeat the query
     * @param k sort key of the last event returned
     * @param i id of the last event returned
     * @param e the token generation
     */
    record PageToken(String c, long s, String q, long k, String i, long e) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private long generation = RANDOM.nextLong();
    private long serial;
    private final Set<Long> revoked = new HashSet<>();
    private final Map<String, Long> calendarMinimumSerial = new HashMap<>();
    private Instant issuedNotBefore = Instant.EPOCH;

    String issue(String calendarId, long seq, String filterSignature, Instant now) {
        return encode(new SyncToken(calendarId, seq, filterSignature, ++serial, now.toEpochMilli(), generation));
    }

    /**
     * The token's content if it may still be used for this calendar and filter, else 410
     * fullSyncRequired (also for unreadable tokens and tokens of another emulator run).
     */
    SyncToken validate(String token, String calendarId, String filterSignature, long calendarSeq) {
        SyncToken decoded = decode(token, SyncToken.class);
        if (decoded == null
                || decoded.e() != generation
                || !calendarId.equals(decoded.c())
                || !filterSignature.equals(decoded.f())
                || decoded.s() > calendarSeq
                || decoded.n() > serial
                || revoked.contains(decoded.n())
                || decoded.n() < calendarMinimumSerial.getOrDefault(calendarId, 0L)
                || Instant.ofEpochMilli(decoded.t()).isBefore(issuedNotBefore)) {
            throw GoogleApiError.fullSyncRequired();
        }
        return decoded;
    }

    /** Kills one token; false when the text is not a token. */
    boolean revoke(String token) {
        SyncToken decoded = decode(token, SyncToken.class);
        if (decoded == null) {
            return false;
        }
        revoked.add(decoded.n());
        return true;
    }

    /** Kills every token issued so far for the calendar. */
    void revokeCalendar(String calendarId) {
        calendarMinimumSerial.put(calendarId, serial + 1);
    }

    /** Kills every token issued before {@code instant}, on every calendar. */
    void revokeIssuedBefore(Instant instant) {
        if (instant.isAfter(issuedNotBefore)) {
            issuedNotBefore = instant;
        }
    }

    /** Kills every sync and page token issued so far (emulator reset). */
    void revokeAll() {
        generation = RANDOM.nextLong();
        serial = 0;
        revoked.clear();
        calendarMinimumSerial.clear();
        issuedNotBefore = Instant.EPOCH;
    }

    PageToken newPageToken(String calendarId, long snapshotSeq, String querySignature, long afterKey, String afterId) {
        return new PageToken(calendarId, snapshotSeq, querySignature, afterKey, afterId, generation);
    }

    String encodePage(PageToken token) {
        return encode(token);
    }

    /** The page token's content, or 400 for anything this emulator did not issue. */
    PageToken decodePage(String token) {
        PageToken decoded = decode(token, PageToken.class);
        if (decoded == null || decoded.e() != generation || decoded.c() == null || decoded.q() == null) {
            throw GoogleApiError.invalidParameter("pageToken", "Invalid page token value.");
        }
        return decoded;
    }

    private static String encode(Object token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(token).getBytes(StandardCharsets.UTF_8));
    }

    private static <T> T decode(String token, Class<T> type) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return Json.read(json, type);
        } catch (IllegalArgumentException | JacksonException e) {
            return null;
        }
    }
}
