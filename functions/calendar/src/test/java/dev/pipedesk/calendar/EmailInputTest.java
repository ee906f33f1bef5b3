package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.email.EmailDirection;
import dev.pipedesk.http.testing.ValidationErrors;
import dev.pipedesk.postgres.EmailPosition;
import dev.pipedesk.postgres.EmailQuery;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailInputTest {
    private static final String ID = "5b0e6c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e";

    private static List<FieldError> errorsOf(Runnable parse) {
        return ValidationErrors.of(parse);
    }

    private static List<String> fields(List<FieldError> errors) {
        return ValidationErrors.fields(errors);
    }

    /** A valid body with {@code field} replaced by the raw JSON {@code value} (or left out when null). */
    private static String with(String field, String value) {
        Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of(
                "message_id", "\"<m1@mail.example.com>\"", "direction", "\"inbound\"",
                "from", "\"ana@example.com\"", "to", "[\"bo@example.com\"]", "sent_at", "\"2026-03-01T14:00:00Z\"",
                "entity_type", "\"deal\"", "entity_id", "\"d-1\""));
        if (value == null) {
            fields.remove(field);
        } else {
            fields.put(field, value);
        }
        return fields.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    @Test
    void readsEveryFieldTrimsAndLowerCasesAddressesAndKeepsTheInstant() {
        NewEmail email = EmailInput.parseNew("""
                {"message_id":" <CAF1@mail.example.com> ","thread_id":"t-9","direction":"Outbound",
                 "from":" Ana@Example.com ","to":["Bo@Example.com","bo@example.com",{"email":"cy@example.com"}],
                 "cc":["Dee@example.com"],"subject":"Proposal","snippet":"Please find attached",
                 "sent_at":"2026-03-01T11:00:00.1234567-03:00","entity_type":"deal","entity_id":" d-42 "}""");

        assertThat(email).isEqualTo(new NewEmail("<CAF1@mail.example.com>", "t-9", EmailDirection.OUTBOUND,
                "ana@example.com", List.of("bo@example.com", "cy@example.com"), List.of("dee@example.com"), "Proposal",
                "Please find attached", Instant.parse("2026-03-01T14:00:00.123456Z"), EntityType.DEAL, "d-42"));
    }

    @Test
    void acceptsCamelCaseAliasesAndDefaultsTheOptionalFields() {
        NewEmail email = EmailInput.parseNew("""
                {"messageId":"<m2@x>","threadId":"t","direction":"inbound","from":"a@example.com",
                 "to":["b@example.com"],"sentAt":"2026-03-01T14:00:00Z","entityType":"lead","entityId":1001}""");

        assertThat(email.messageId()).isEqualTo("<m2@x>");
        assertThat(email.threadId()).isEqualTo("t");
        assertThat(email.sentAt()).isEqualTo(Instant.parse("2026-03-01T14:00:00Z"));
        assertThat(email.entityType()).isEqualTo(EntityType.LEAD);
        assertThat(email.entityId()).isEqualTo("1001");
        assertThat(email.cc()).isEmpty();
        assertThat(email.subject()).isEmpty();
        assertThat(email.snippet()).isNull();
    }

    @Test
    void reportsEveryMissingRequiredFieldAtOnce() {
        assertThat(fields(errorsOf(() -> EmailInput.parseNew("{}")))).containsExactlyInAnyOrder(
                "message_id", "direction", "from", "to", "sent_at", "entity_type", "entity_id");
    }

    @Test
    void refusesATimeWithoutAnOffset() {
        assertThat(errorsOf(() -> EmailInput.parseNew(with("sent_at", "\"2026-03-01T14:00:00\""))))
                .containsExactly(new FieldError("sent_at",
                        "must include a UTC offset, e.g. 2026-03-01T14:00:00Z or 2026-03-01T11:00:00-03:00"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"not-an-address\"", "\"a@\"", "42", "\"\""})
    void refusesABadSender(String from) {
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("from", from))))).containsExactly("from");
    }

    @Test
    void namesEachBadRecipientAndRefusesAnEmptyToList() {
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("to", "[\"ok@example.com\",\"nope\",7]")))))
                .containsExactly("to[1]", "to[2]");
        assertThat(errorsOf(() -> EmailInput.parseNew(with("to", "[]"))))
                .containsExactly(new FieldError("to", "must have at least one address"));
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("cc", "\"x@example.com\""))))).containsExactly("cc");
    }

    @Test
    void refusesTooManyRecipientsAndAddressesLongerThanRfc5321Allows() {
        String many = IntStream.range(0, EmailInput.MAX_RECIPIENTS + 1).mapToObj(i -> "\"r" + i + "@example.com\"")
                .collect(Collectors.joining(",", "[", "]"));
        String longAddress = "\"" + "a".repeat(250) + "@example.com\"";

        assertThat(errorsOf(() -> EmailInput.parseNew(with("cc", many))))
                .containsExactly(new FieldError("cc", "must have at most 100 distinct addresses"));
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("from", longAddress))))).containsExactly("from");
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("to", "[" + longAddress + "]"))))).containsExactly("to");
    }

    @Test
    void refusesTextsLongerThanTheirLimits() {
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("message_id", "\"" + "m".repeat(999) + "\"")))))
                .containsExactly("message_id");
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("subject", "\"" + "s".repeat(999) + "\"")))))
                .containsExactly("subject");
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("snippet", "\"" + "s".repeat(2001) + "\"")))))
                .containsExactly("snippet");
        assertThat(EmailInput.parseNew(with("subject", "\"" + "s".repeat(998) + "\"")).subject()).hasSize(998);
    }

    @Test
    void refusesAnUnknownDirectionAndEntityType() {
        assertThat(errorsOf(() -> EmailInput.parseNew(with("direction", "\"sideways\""))))
                .containsExactly(new FieldError("direction", "must be one of inbound, outbound"));
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("entity_type", "\"account\"")))))
                .containsExactly("entity_type");
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("entity_id", null)))))
                .containsExactly("entity_id");
    }

    @Test
    void refusesANulCharacterOrAnUnpairedSurrogateAnywhereWithThoseProblemsAlone() {
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("subject", "\"a\\u0000b\"")))))
                .containsExactly("subject");
        assertThat(fields(errorsOf(() -> EmailInput.parseNew(with("to", "[\"\\uD800@example.com\"]")))))
                .containsExactly("to[0]");
    }

    @Test
    void refusesABodyThatIsNoJsonObject() {
        assertThatThrownBy(() -> EmailInput.parseNew("[1]")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void readsTheListQueryWithItsDefaultLimit() {
        assertThat(EmailInput.parseQuery(Map.of("entityType", "contact", "entityId", "c-7")))
                .isEqualTo(new EmailQuery(EntityType.CONTACT, "c-7", null, 50));
        assertThat(EmailInput.parseQuery(Map.of("entity_type", "deal", "entity_id", "d-1", "limit", "200")).limit())
                .isEqualTo(200);
    }

    @Test
    void requiresTheEntityAndALimitWithinBounds() {
        assertThat(fields(errorsOf(() -> EmailInput.parseQuery(Map.of("limit", "201")))))
                .containsExactlyInAnyOrder("entity_type", "entity_id", "limit");
        assertThat(fields(errorsOf(() -> EmailInput.parseQuery(Map.of("entity_type", "x", "entity_id", "1",
                "limit", "0"))))).containsExactlyInAnyOrder("entity_type", "limit");
    }

    @Test
    void aCursorContinuesOnlyForItsOwnEntity() {
        EmailPosition position = new EmailPosition(Instant.parse("2026-03-01T14:00:00.5Z"), ID);
        String cursor = EmailCursor.encode(position, EntityType.DEAL, "d-1");

        assertThat(EmailInput.parseQuery(Map.of("entity_type", "deal", "entity_id", "d-1", "cursor", cursor)).after())
                .isEqualTo(position);
        assertThat(errorsOf(() -> EmailInput.parseQuery(Map.of("entity_type", "deal", "entity_id", "d-2",
                "cursor", cursor)))).containsExactly(new FieldError("cursor", EmailCursor.OTHER_ENTITY));
        assertThat(errorsOf(() -> EmailInput.parseQuery(Map.of("entity_type", "lead", "entity_id", "d-1",
                "cursor", cursor)))).containsExactly(new FieldError("cursor", EmailCursor.OTHER_ENTITY));
    }

    @Test
    void aTamperedCursorIsRefused() {
        String cursor = EmailCursor.encode(new EmailPosition(Instant.parse("2026-03-01T14:00:00Z"), ID),
                EntityType.DEAL, "d-1");
        Map<String, String> query = new HashMap<>(Map.of("entity_type", "deal", "entity_id", "d-1"));
        for (String tampered : List.of(cursor.substring(1), cursor + "A", "x".repeat(600), "%%%",
                java.util.Base64.getUrlEncoder().encodeToString(
                        "{\"v\":1,\"at\":\"2026-03-01T14:00:00Z\",\"id\":\"1 or 1=1\",\"e\":\"x\"}".getBytes()))) {
            query.put("cursor", tampered);
            assertThat(errorsOf(() -> EmailInput.parseQuery(query))).as(tampered)
                    .containsExactly(new FieldError("cursor", EmailCursor.INVALID));
        }
    }

    @Test
    void spellsOneMessageIdOneWayWhateverTheBracketsAndTheDomainsCase() {
        assertThat(EmailInput.canonicalMessageId("<CAF1x@Mail.Example.COM>")).isEqualTo("<CAF1x@mail.example.com>");
        assertThat(EmailInput.canonicalMessageId("CAF1x@mail.example.com")).isEqualTo("<CAF1x@mail.example.com>");
        assertThat(EmailInput.canonicalMessageId("< CAF1x@MAIL.example.com >")).isEqualTo("<CAF1x@mail.example.com>");
        assertThat(EmailInput.canonicalMessageId("caf1X@mail.example.com")).isNotEqualTo(
                EmailInput.canonicalMessageId("CAF1x@mail.example.com"));
        assertThat(EmailInput.canonicalMessageId("no-at-sign")).isEqualTo("<no-at-sign>");
    }
}
