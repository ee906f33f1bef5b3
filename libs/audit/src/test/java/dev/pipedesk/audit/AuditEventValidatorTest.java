package dev.pipedesk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class AuditEventValidatorTest {
    private static final AuditEventValidator VALIDATOR = AuditEventValidator.load();

    private static ObjectNode validEvent() {
        return (ObjectNode) Json.MAPPER.valueToTree(AuditEvents.leadStatusChange("lead-1"));
    }

    private static List<String> validateChanged(Consumer<ObjectNode> change) {
        ObjectNode event = validEvent();
        change.accept(event);
        return VALIDATOR.validate(Json.write(event));
    }

    @Test
    void acceptsWhatTheAuditEventRecordSerializesTo() {
        assertThat(VALIDATOR.validate(Json.write(AuditEvents.leadStatusChange("lead-1")))).isEmpty();
    }

    @Test
    void acceptsASystemActorCreateWithoutOptionalFields() {
        AuditEvent event = new AuditEvent(1, "0b5a8f3e-2c1d-4e7f-9a6b-3c2d1e0f9a8b", "calendar_event", "evt-1", "create",
                AuditEvent.Actor.system("channel_renewal"), Instant.parse("2026-03-01T10:00:00Z"), null,
                Json.MAPPER.readTree("{\"summary\":\"Demo\"}"), null, "webhook", null, null, null);

        assertThat(VALIDATOR.validate(Json.write(event))).isEmpty();
    }

    @Test
    void acceptsFieldsLeftOutInsteadOfNull() {
        assertThat(validateChanged(e -> e.remove(List.of("before", "after", "changes", "request_id", "ip", "user_agent"))))
                .isEmpty();
    }

    @Test
    void acceptsAFutureActionOfTheDocumentedShape() {
        assertThat(validateChanged(e -> e.put("action", "merge_duplicates"))).isEmpty();
    }

    @Test
    void acceptsAnOccurredAtWithAnOffsetAndAnIpv6Address() {
        assertThat(validateChanged(e -> {
            e.put("occurred_at", "2026-03-01T11:15:30.5+01:00");
            e.put("ip", "2001:db8::1");
        })).isEmpty();
    }

    @Test
    void rejectsAMissingRequiredField() {
        assertThat(validateChanged(e -> e.remove("actor"))).singleElement().asString().contains("actor");
        assertThat(validateChanged(e -> e.remove("event_id"))).singleElement().asString().contains("event_id");
        assertThat(validateChanged(e -> e.remove("occurred_at"))).isNotEmpty();
        assertThat(validateChanged(e -> e.remove("source"))).isNotEmpty();
    }

    @Test
    void rejectsAnEventIdThatIsNotAUuid() {
        assertThat(validateChanged(e -> e.put("event_id", "evt-123"))).singleElement().asString()
                .contains("event_id").contains("uuid");
    }

    @Test
    void rejectsAnOccurredAtWithoutOffsetOrNotADate() {
        assertThat(validateChanged(e -> e.put("occurred_at", "2026-03-01T10:15:30"))).singleElement().asString()
                .contains("occurred_at");
        assertThat(validateChanged(e -> e.put("occurred_at", "yesterday"))).isNotEmpty();
        assertThat(validateChanged(e -> e.put("occurred_at", 1772360130))).isNotEmpty();
    }

    @Test
    void rejectsASystemActorWhoseIdLacksTheSystemPrefix() {
        assertThat(validateChanged(e -> e.putObject("actor").put("type", "system").put("id", "channel_renewal")))
                .isNotEmpty().anySatisfy(v -> assertThat(v).contains("actor"));
    }

    @Test
    void rejectsAUserActorPosingAsASystemJob() {
        assertThat(validateChanged(e -> e.putObject("actor").put("type", "user").put("id", "system:relay"))).isNotEmpty();
    }

    @Test
    void rejectsAnUnknownActorTypeOrAnEmptyOrNullActor() {
        assertThat(validateChanged(e -> e.putObject("actor").put("type", "robot").put("id", "r2"))).isNotEmpty();
        assertThat(validateChanged(e -> e.putObject("actor").put("type", "user").put("id", ""))).isNotEmpty();
        assertThat(validateChanged(e -> e.putNull("actor"))).isNotEmpty();
    }

    @Test
    void rejectsActionsAndEntityTypesOfTheWrongShape() {
        assertThat(validateChanged(e -> e.put("action", "Update"))).isNotEmpty();
        assertThat(validateChanged(e -> e.put("action", "status-change"))).isNotEmpty();
        assertThat(validateChanged(e -> e.put("action", "x"))).isNotEmpty();
        assertThat(validateChanged(e -> e.put("entity_type", "Lead"))).isNotEmpty();
        assertThat(validateChanged(e -> e.put("entity_type", "1lead"))).isNotEmpty();
        assertThat(validateChanged(e -> e.put("entity_id", ""))).isNotEmpty();
    }

    @Test
    void rejectsChangesThatAreNotOldNewPairs() {
        assertThat(validateChanged(e -> e.putObject("changes").putObject("status").put("old", "new"))).isNotEmpty();
        assertThat(validateChanged(e -> e.putObject("changes").put("status", "won"))).isNotEmpty();
        assertThat(validateChanged(e -> e.putObject("changes").putObject("status")
                .put("old", "new").put("new", "won").put("by", "x"))).isNotEmpty();
        assertThat(validateChanged(e -> e.putArray("changes"))).isNotEmpty();
    }

    @Test
    void keepsJsonTypesInChangesAndAcceptsNullValues() {
        assertThat(validateChanged(e -> {
            ObjectNode changes = e.putObject("changes");
            changes.putObject("value").put("old", 10).put("new", 12.5);
            changes.putObject("owner_id").putNull("old").put("new", "user-9");
            changes.putObject("tags").set("new", Json.MAPPER.readTree("[\"vip\"]"));
            ((ObjectNode) changes.get("tags")).putNull("old");
        })).isEmpty();
    }

    @Test
    void rejectsUnknownFieldsAndOtherSchemaVersions() {
        assertThat(validateChanged(e -> e.put("occuredAt", "2026-03-01T10:15:30Z"))).singleElement().asString()
                .contains("occuredAt");
        assertThat(validateChanged(e -> e.put("schema_version", 2))).isNotEmpty();
    }

    @Test
    void rejectsAnInvalidIpAddress() {
        assertThat(validateChanged(e -> e.put("ip", "not-an-ip"))).isNotEmpty();
        assertThat(validateChanged(e -> e.put("ip", "203.0.113.7, 10.0.0.1"))).isNotEmpty();
    }

    @Test
    void rejectsBodiesThatAreNotAJsonObject() {
        assertThat(VALIDATOR.validate("{\"event_id\":")).singleElement().asString().contains("not valid JSON");
        assertThat(VALIDATOR.validate("[]")).singleElement().asString().contains("JSON object");
        assertThat(VALIDATOR.validate("")).isNotEmpty();
        assertThat(VALIDATOR.validate("null")).isNotEmpty();
    }

    @Test
    void checkReturnsTheParsedEventWhenValidAndTheViolationsOtherwise() {
        String json = Json.write(AuditEvents.leadStatusChange("lead-1"));

        assertThat(VALIDATOR.check(json)).isInstanceOfSatisfying(AuditEventValidator.Checked.Valid.class,
                valid -> assertThat(valid.event()).isEqualTo(Json.MAPPER.readTree(json)));
        assertThat(VALIDATOR.check("{\"event_id\":")).isInstanceOfSatisfying(AuditEventValidator.Checked.Invalid.class,
                invalid -> assertThat(invalid.violations()).singleElement().asString().contains("not valid JSON"));
    }

    @Test
    void violationsNeverQuoteTheEventsValues() {
        String secret = "s3cr3t-value-" + "x".repeat(300);
        List<String> violations = validateChanged(e -> {
            e.put("entity_id", secret);
            e.put("event_id", "not-a-uuid-" + secret);
            e.put("occurred_at", secret);
        });

        assertThat(violations).hasSize(3).allSatisfy(v -> assertThat(v).doesNotContain("s3cr3t"));
    }

    @Test
    void everyJsonExampleInTheDocumentationIsAValidEvent() throws IOException {
        String doc = Files.readString(Path.of("../../docs/audit-events.md"));
        Matcher blocks = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> examples = new ArrayList<>();
        while (blocks.find()) {
            examples.add(blocks.group(1));
        }

        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        for (String example : examples) {
            assertThat(VALIDATOR.validate(example)).as(example).isEmpty();
        }
    }
}
