package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.FieldError;
import dev.pipedesk.http.OpaqueCursor;
import dev.pipedesk.postgres.AuditLogPosition;
import dev.pipedesk.postgres.AuditLogQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditLogCursorTest {
    private static final AuditLogQuery FILTERS = new AuditLogQuery("lead", "l-1", "update", "u-1",
            Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"), null, 50, 0);
    private static final AuditLogPosition POSITION = new AuditLogPosition(Instant.parse("2026-03-10T08:30:00.123456Z"), 4242);

    private static AuditLogPosition decode(String cursor, AuditLogQuery filters, List<FieldError> errors) {
        return AuditLogCursor.decode(cursor, filters, errors::add);
    }

    private static String base64url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsThePositionToTheMicrosecond() {
        List<FieldError> errors = new ArrayList<>();

        AuditLogPosition decoded = decode(AuditLogCursor.encode(POSITION, FILTERS), FILTERS, errors);

        assertThat(errors).isEmpty();
        assertThat(decoded).isEqualTo(POSITION);
    }

    @Test
    void isUrlSafeBase64WithoutPadding() {
        String cursor = AuditLogCursor.encode(POSITION, FILTERS);

        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(cursor.length()).isLessThan(OpaqueCursor.MAX_LENGTH);
    }

    @Test
    void ignoresThePageSizeAndPositionOfTheQueryItWasMadeFor() {
        AuditLogQuery otherPaging = new AuditLogQuery("lead", "l-1", "update", "u-1", FILTERS.occurredFrom(),
                FILTERS.occurredBefore(), POSITION, 3, 9);

        assertThat(AuditLogCursor.fingerprint(otherPaging)).isEqualTo(AuditLogCursor.fingerprint(FILTERS));
    }

    @Test
    void everyFilterChangesTheFingerprint() {
        List<AuditLogQuery> variants = List.of(
                new AuditLogQuery("deal", "l-1", "update", "u-1", FILTERS.occurredFrom(), FILTERS.occurredBefore(), null, 50, 0),
                new AuditLogQuery("lead", "l-2", "update", "u-1", FILTERS.occurredFrom(), FILTERS.occurredBefore(), null, 50, 0),
                new AuditLogQuery("lead", "l-1", "create", "u-1", FILTERS.occurredFrom(), FILTERS.occurredBefore(), null, 50, 0),
                new AuditLogQuery("lead", "l-1", "update", "u-2", FILTERS.occurredFrom(), FILTERS.occurredBefore(), null, 50, 0),
                new AuditLogQuery("lead", "l-1", "update", "u-1", null, FILTERS.occurredBefore(), null, 50, 0),
                new AuditLogQuery("lead", "l-1", "update", "u-1", FILTERS.occurredFrom(), null, null, 50, 0),
                // the same values in other fields must not collide
                new AuditLogQuery("l-1", "lead", "update", "u-1", FILTERS.occurredFrom(), FILTERS.occurredBefore(), null, 50, 0));

        for (AuditLogQuery variant : variants) {
            List<FieldError> errors = new ArrayList<>();
            assertThat(decode(AuditLogCursor.encode(POSITION, FILTERS), variant, errors)).as(variant.toString()).isNull();
            assertThat(errors).containsExactly(new FieldError("cursor", AuditLogCursor.OTHER_FILTERS));
        }
    }

    @Test
    void withoutFiltersToCompareOnlyTheFormIsChecked() {
        List<FieldError> errors = new ArrayList<>();

        assertThat(decode(AuditLogCursor.encode(POSITION, FILTERS), null, errors)).isEqualTo(POSITION);
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage!", "%%%", "bm90IGpzb24", "e30", "W10"})
    void rejectsWhatIsNotACursor(String cursor) {
        List<FieldError> errors = new ArrayList<>();

        assertThat(decode(cursor, FILTERS, errors)).isNull();
        assertThat(errors).containsExactly(new FieldError("cursor", AuditLogCursor.INVALID));
    }

    @Test
    void rejectsCursorsWithAWrongVersionOrImpossibleValues() {
        String f = AuditLogCursor.fingerprint(FILTERS);
        for (String json : List.of(
                "{\"v\":2,\"at\":\"2026-03-10T08:30:00Z\",\"id\":1,\"f\":\"" + f + "\"}",
                "{\"v\":1,\"at\":\"not a time\",\"id\":1,\"f\":\"" + f + "\"}",
                "{\"v\":1,\"at\":\"+20000-01-01T00:00:00Z\",\"id\":1,\"f\":\"" + f + "\"}",
                "{\"v\":1,\"at\":\"2026-03-10T08:30:00Z\",\"id\":-5,\"f\":\"" + f + "\"}",
                "{\"v\":1,\"at\":\"2026-03-10T08:30:00Z\",\"id\":\"x\",\"f\":\"" + f + "\"}",
                "{\"v\":1,\"at\":\"2026-03-10T08:30:00Z\",\"id\":1}",
                "{\"v\":1,\"id\":1,\"f\":\"" + f + "\"}")) {
            List<FieldError> errors = new ArrayList<>();
            assertThat(decode(base64url(json), FILTERS, errors)).as(json).isNull();
            assertThat(errors).as(json).containsExactly(new FieldError("cursor", AuditLogCursor.INVALID));
        }
    }

    @Test
    void rejectsOverlongCursors() {
        List<FieldError> errors = new ArrayList<>();

        assertThat(decode("A".repeat(OpaqueCursor.MAX_LENGTH + 1), FILTERS, errors)).isNull();
        assertThat(errors).extracting(FieldError::field).containsExactly("cursor");
    }

    @Test
    void aHandMadeCursorWithTheRightFingerprintIsJustAPosition() {
        String json = "{\"v\":1,\"at\":\"2026-03-10T08:30:00Z\",\"id\":7,\"f\":\"" + AuditLogCursor.fingerprint(FILTERS) + "\"}";

        assertThat(decode(base64url(json), FILTERS, new ArrayList<>()))
                .isEqualTo(new AuditLogPosition(Instant.parse("2026-03-10T08:30:00Z"), 7));
    }
}
