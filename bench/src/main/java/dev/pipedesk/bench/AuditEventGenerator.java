package dev.pipedesk.bench;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Valid audit events (schema_version 1) in the mix PipeDesk produces: meeting creates, updates,
 * cancels and sync updates from the calendar function, lead status changes and deal updates
 * captured by the database trigger. The shape of every event is seeded (the same seed gives the
 * same entities, actions and values); event ids are always fresh random UUIDs, because
 * audit_logs keeps each event id once.
 */
public final class AuditEventGenerator {
    private static final String[] SUMMARIES = {"Discovery call", "Demo", "Contract review", "Quarterly check-in",
            "Onboarding", "Pricing discussion", "Technical deep dive", "Kick-off"};
    private static final String[] LEAD_STATUSES = {"new", "contacted", "qualified", "proposal", "won", "lost"};
    private static final String[] DEAL_STAGES = {"prospecting", "negotiation", "closing", "closed_won", "closed_lost"};
    private static final String[] USER_AGENTS = {
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
            "PipeDeskMobile/3.2 (iOS 17.5)"};
    private static final Instant EPOCH = Instant.parse("2026-03-02T08:00:00Z");

    private final Random random;

    public AuditEventGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} events with fresh event ids. */
    public List<AuditEvent> generate(int count) {
        List<AuditEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(next());
        }
        return events;
    }

    /** The contract JSON of each event: the SQS message bodies. */
    public static List<String> bodies(List<AuditEvent> events) {
        return events.stream().map(Json::write).toList();
    }

    /** One event; the mix is 35% meeting update, 15% meeting create, 5% cancel, 5% sync update, 25% lead status change, 15% deal update. */
    public AuditEvent next() {
        int roll = random.nextInt(100);
        if (roll < 35) {
            return meetingUpdate();
        } else if (roll < 50) {
            return meetingCreate();
        } else if (roll < 55) {
            return meetingCancel();
        } else if (roll < 60) {
            return meetingSyncUpdate();
        } else if (roll < 85) {
            return leadStatusChange();
        }
        return dealUpdate();
    }

    private AuditEvent meetingCreate() {
        ObjectNode after = meeting();
        return calendarEvent("create", null, after, null);
    }

    private AuditEvent meetingUpdate() {
        ObjectNode before = meeting();
        ObjectNode after = before.deepCopy();
        after.put("summary", pick(SUMMARIES) + " (moved)");
        Instant start = Instant.parse(before.get("start_time").asString()).plus(Duration.ofMinutes(30L * (1 + random.nextInt(8))));
        after.put("start_time", start.toString());
        after.put("end_time", start.plus(Duration.ofMinutes(45)).toString());
        after.put("updated_at", occurredAt().toString());
        return calendarEvent("update", before, after, changes(before, after, "summary", "start_time", "end_time"));
    }

    private AuditEvent meetingCancel() {
        ObjectNode before = meeting();
        ObjectNode after = before.deepCopy();
        after.put("status", "cancelled");
        return calendarEvent("cancel", before, after, changes(before, after, "status"));
    }

    private AuditEvent meetingSyncUpdate() {
        ObjectNode before = meeting();
        ObjectNode after = before.deepCopy();
        after.put("description", "Agenda updated in Google Calendar");
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), "calendar_event",
                before.get("id").asString(), "sync_update", AuditEvent.Actor.system("calendar_sync"), occurredAt(),
                before, after, changes(before, after, "description"), "webhook", "sync-" + random.nextInt(1_000_000),
                null, null);
    }

    private AuditEvent calendarEvent(String action, ObjectNode before, ObjectNode after, Map<String, AuditEvent.Change> changes) {
        ObjectNode subject = after != null ? after : before;
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), "calendar_event",
                subject.get("id").asString(), action, AuditEvent.Actor.user(userId()), occurredAt(), before, after, changes,
                "calendar", requestId(), ip(), pick(USER_AGENTS));
    }

    private AuditEvent leadStatusChange() {
        ObjectNode before = Json.MAPPER.createObjectNode();
        String leadId = "lead-" + random.nextInt(50_000);
        before.put("id", leadId);
        before.put("name", "Lead " + random.nextInt(50_000));
        before.put("email", "contact" + random.nextInt(50_000) + "@example.com");
        before.put("company", "Company " + random.nextInt(5_000));
        before.put("status", pick(LEAD_STATUSES));
        before.put("value", Math.round(random.nextDouble() * 1_000_000) / 100.0);
        before.put("owner_id", userId());
        ObjectNode after = before.deepCopy();
        after.put("status", pick(LEAD_STATUSES));
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), "lead", leadId, "status_change",
                AuditEvent.Actor.user(userId()), occurredAt(), before, after, changes(before, after, "status"), "database",
                null, null, null);
    }

    private AuditEvent dealUpdate() {
        ObjectNode before = Json.MAPPER.createObjectNode();
        String dealId = "deal-" + random.nextInt(20_000);
        before.put("id", dealId);
        before.put("title", "Deal " + random.nextInt(20_000));
        before.put("stage", pick(DEAL_STAGES));
        before.put("amount", Math.round(random.nextDouble() * 10_000_000) / 100.0);
        before.put("currency", "EUR");
        before.put("lead_id", "lead-" + random.nextInt(50_000));
        before.put("expected_close", "2026-0" + (4 + random.nextInt(5)) + "-15");
        ObjectNode after = before.deepCopy();
        after.put("stage", pick(DEAL_STAGES));
        after.put("amount", Math.round(random.nextDouble() * 10_000_000) / 100.0);
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), "deal", dealId, "update",
                AuditEvent.Actor.user(userId()), occurredAt(), before, after, changes(before, after, "stage", "amount"),
                "database", null, null, null);
    }

    /** A meeting as the calendar function shows it (the shape of its API's event view). */
    private ObjectNode meeting() {
        ObjectNode meeting = Json.MAPPER.createObjectNode();
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        Instant start = EPOCH.plus(Duration.ofMinutes(30L * random.nextInt(2_000)));
        meeting.put("id", id);
        meeting.put("google_event_id", Long.toString(random.nextLong() & Long.MAX_VALUE, 32));
        meeting.put("calendar_id", "primary");
        meeting.put("summary", pick(SUMMARIES));
        meeting.put("description", "Agenda: introductions, requirements, next steps.");
        meeting.put("start_time", start.toString());
        meeting.put("end_time", start.plus(Duration.ofMinutes(45)).toString());
        meeting.put("meet_link", "https://meet.google.com/abc-defg-" + (100 + random.nextInt(900)));
        meeting.put("conference_status", "success");
        meeting.put("status", "confirmed");
        meeting.put("organizer_email", "calendar@pipedesk.local");
        ArrayNode attendees = meeting.putArray("attendees");
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            ObjectNode attendee = attendees.addObject();
            attendee.put("email", "guest" + random.nextInt(10_000) + "@example.com");
            attendee.put("response_status", "needsAction");
        }
        meeting.put("entity_type", "lead");
        meeting.put("entity_id", "lead-" + random.nextInt(50_000));
        meeting.put("created_by", userId());
        meeting.put("created_at", start.minus(Duration.ofDays(2)).toString());
        meeting.put("updated_at", start.minus(Duration.ofDays(1)).toString());
        return meeting;
    }

    private static Map<String, AuditEvent.Change> changes(JsonNode before, JsonNode after, String... fields) {
        Map<String, AuditEvent.Change> changes = new LinkedHashMap<>();
        for (String field : fields) {
            if (!before.get(field).equals(after.get(field))) {
                changes.put(field, new AuditEvent.Change(before.get(field), after.get(field)));
            }
        }
        return changes;
    }

    private Instant occurredAt() {
        return EPOCH.plus(random.nextInt(90 * 24 * 3600), ChronoUnit.SECONDS).plusMillis(random.nextInt(1000));
    }

    private String userId() {
        return "user-" + random.nextInt(200);
    }

    private String requestId() {
        return "req-" + Long.toHexString(random.nextLong());
    }

    private String ip() {
        return "203.0.113." + (1 + random.nextInt(254));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
