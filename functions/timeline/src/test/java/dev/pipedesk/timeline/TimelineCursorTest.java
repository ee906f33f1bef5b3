package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.FieldError;
import dev.pipedesk.http.OpaqueCursor;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.postgres.AuditLogPosition;
import dev.pipedesk.postgres.AuditLogQuery;
import dev.pipedesk.postgres.TimelinePosition;
import dev.pipedesk.postgres.TimelineQuery;
import dev.pipedesk.postgres.TimelineSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimelineCursorTest {
    private static final TimelineQuery FILTERS = new TimelineQuery(EntityType.DEAL, "d-1",
            EnumSet.of(TimelineSource.AUDIT, TimelineSource.MEETING), Instant.parse("2026-03-01T00:00:00Z"),
            Instant.parse("2026-04-01T00:00:00Z"), 50, null, 0, null);
    private static final TimelinePosition MEETING = new TimelinePosition(Instant.parse("2026-03-10T08:30:00.123456Z"),
            TimelineSource.MEETING, "0b8f3a52-8f0e-4c1e-9d0a-2f4b6c8d0e1f");

    private static TimelineCursor.Decoded decode(String cursor, TimelineQuery filters, List<FieldError> errors) {
        return TimelineCursor.decode(cursor, filters, errors::add);
    }

    private static String base64url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String payload(String at, int source, String id, long total) {
        return base64url("{\"v\":1,\"at\":\"" + at + "\",\"s\":" + source + ",\"id\":\"" + id + "\",\"n\":" + total
                + ",\"f\":\"" + TimelineCursor.fingerprint(FILTERS) + "\"}");
    }

    @Test
    void roundTripsThePositionToTheMicrosecondAndTheTotal() {
        List<FieldError> errors = new ArrayList<>();
        TimelinePosition audit = new TimelinePosition(Instant.parse("2026-03-10T08:30:00.000001Z"), TimelineSource.AUDIT,
                "9007199254740993");

        TimelineCursor.Decoded meeting = decode(TimelineCursor.encode(MEETING, 77, FILTERS), FILTERS, errors);
        TimelineCursor.Decoded auditEntry = decode(TimelineCursor.encode(audit, 0, FILTERS), FILTERS, errors);

        assertThat(errors).isEmpty();
        assertThat(meeting).isEqualTo(new TimelineCursor.Decoded(MEETING, 77));
        assertThat(auditEntry).isEqualTo(new TimelineCursor.Decoded(audit, 0));
    }

    @Test
    void carriesATotalThatStoppedAtItsCapAndLeavesAnExactOneAsBefore() {
        List<FieldError> errors = new ArrayList<>();
        String capped = TimelineCursor.encode(MEETING, 10_000, false, FILTERS);
        String exact = TimelineCursor.encode(MEETING, 10_000, true, FILTERS);

        assertThat(decode(capped, FILTERS, errors)).isEqualTo(new TimelineCursor.Decoded(MEETING, 10_000, false));
        assertThat(decode(exact, FILTERS, errors)).isEqualTo(new TimelineCursor.Decoded(MEETING, 10_000, true));
        assertThat(errors).isEmpty();
        assertThat(decoded(capped)).contains("\"x\":false");
        assertThat(decoded(exact)).doesNotContain("\"x\"");
        assertThat(decode(base64url(decoded(exact).replace("}", ",\"x\":true}")), FILTERS, errors)).isNull();
    }

    private static String decoded(String cursor) {
        return new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theSourceOrderOfTheFiltersAndTheSpellingOfAnInstantDoNotMatter() {
        TimelineQuery sameFilters = new TimelineQuery(EntityType.DEAL, "d-1",
                EnumSet.of(TimelineSource.MEETING, TimelineSource.AUDIT), Instant.parse("2026-02-28T21:00:00-03:00"),
                Instant.parse("2026-04-01T00:00:00Z"), 10, MEETING, 0, null);

        assertThat(TimelineCursor.fingerprint(sameFilters)).isEqualTo(TimelineCursor.fingerprint(FILTERS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64!", "bm90IGpzb24", "e30"})
    void aMalformedCursorIsInvalid(String cursor) {
        List<FieldError> errors = new ArrayList<>();

        assertThat(decode(cursor, FILTERS, errors)).isNull();
        assertThat(errors).containsExactly(new FieldError("cursor", TimelineCursor.INVALID));
    }

    @Test
    void aTamperedOrForeignCursorIsInvalid() {
        String good = TimelineCursor.encode(MEETING, 3, FILTERS);
        String tampered = good.substring(0, 10) + (good.charAt(10) == 'A' ? 'B' : 'A') + good.substring(11);
        String auditLogCursor = AuditLogCursor.encode(new AuditLogPosition(Instant.parse("2026-03-01T00:00:00Z"), 5),
                new AuditLogQuery("deal", "d-1", null, null, null, null, null, 50, 0));
        List<String> invalid = List.of(tampered, auditLogCursor,
                payload("2026-03-01T00:00:00Z", 0, MEETING.id(), 3),          // a uuid as an audit id
                payload("2026-03-01T00:00:00Z", 2, "42", 3),                  // a number as a meeting id
                payload("2026-03-01T00:00:00Z", 2, MEETING.id().toUpperCase(), 3),
                payload("2026-03-01T00:00:00Z", 0, "-1", 3),
                payload("2026-03-01T00:00:00Z", 3, "1", 3),                   // no such source
                payload("2026-03-01T00:00:00Z", 0, "1", -1),                  // a negative total
                payload("1066-10-14T00:00:00Z", 0, "1", 3),
                "A".repeat(OpaqueCursor.MAX_LENGTH + 1));

        assertThat(invalid).allSatisfy(cursor -> {
            List<FieldError> errors = new ArrayList<>();
            assertThat(decode(cursor, FILTERS, errors)).as(cursor).isNull();
            assertThat(errors).as(cursor).containsExactly(new FieldError("cursor", TimelineCursor.INVALID));
        });
        assertThat(decode(payload("2026-03-01T00:00:00Z", 0, "1", 3), FILTERS, new ArrayList<>())).isNotNull();
    }

    @Test
    void aCursorForOtherFiltersIsRefusedButItsFormAloneCanBeChecked() {
        String cursor = TimelineCursor.encode(MEETING, 3, FILTERS);
        TimelineQuery otherClient = new TimelineQuery(EntityType.DEAL, "d-1", FILTERS.sources(), FILTERS.since(),
                FILTERS.until(), 50, null, 0, "someone@example.com");
        List<FieldError> errors = new ArrayList<>();

        assertThat(decode(cursor, otherClient, errors)).isNull();
        assertThat(errors).containsExactly(new FieldError("cursor", TimelineCursor.OTHER_FILTERS));
        assertThat(decode(cursor, null, new ArrayList<>())).isEqualTo(new TimelineCursor.Decoded(MEETING, 3));
    }
}
