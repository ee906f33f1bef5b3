package dev.pipedesk.bench;

import dev.pipedesk.auth.Role;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.emulator.calendar.ChannelInfo;
import dev.pipedesk.emulator.calendar.EmulatorControl;
import dev.pipedesk.emulator.calendar.ExternalEdit;
import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.local.LocalStack;
import dev.pipedesk.local.schedule.ScheduledEvents;
import dev.pipedesk.localaws.LocalSqs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The representative request of each function for the cold-start suite, built from the function's own
 * event fixture ({@code functions/<name>/src/test/resources/events/}) with the ids of data that exists in
 * the local services: the authorizer checks a valid sales token for {@code GET /api/calendar/events/{id}};
 * calendar reads an existing meeting; timeline reads the first page of a deal with 30 audit entries;
 * audit-writer writes a batch of 10 fresh audit events; channel-renewal runs its schedule (an active channel,
 * nothing due); webhook takes a valid notification of that channel (a new message number each time);
 * calendar-sync syncs the small calendar (10 meetings) after one meeting was edited in Google.
 */
final class ColdStartFixtures {
    /** The measured functions, in the order of the report (every deployable function but db-migrate). */
    static final List<String> FUNCTIONS = List.of("authorizer", "calendar", "timeline", "audit-writer", "channel-renewal",
            "webhook", "calendar-sync");
    static final int MEETINGS = 10;
    static final int AUDIT_BATCH = 10;
    static final int TIMELINE_ENTRIES = 30;
    static final String DEAL = "deal-coldstart";
    static final String EDITOR = "colleague@example.com";
    private static final long SEED = 20_261_211L;

    /** One function's request: what it is, and a fresh event for each invocation (after any set-up it needs). */
    record Fixture(LocalFunctions.Definition function, String bareHandler, String request, Supplier<String> event) {
    }

    /** Runs the real function once on these events (set-up, not measured); its answers. */
    @FunctionalInterface
    interface SetupInvoker {
        List<String> invoke(LocalFunctions.Definition function, List<String> events) throws Exception;
    }

    private final Path repoRoot;
    private final LocalStack stack;
    private final AuditEventGenerator audit = new AuditEventGenerator(SEED);
    private final AtomicLong messageNumber = new AtomicLong(1_000);
    private final AtomicLong edits = new AtomicLong();

    ColdStartFixtures(Path repoRoot, LocalStack stack) {
        this.repoRoot = repoRoot;
        this.stack = stack;
    }

    /** Puts the data in place (meetings in Google, a channel, the mirror, a deal's audit entries) and the fixtures. */
    Map<String, Fixture> prepare(List<String> functions, SetupInvoker setup) throws Exception {
        EmulatorControl google = stack.emulator().control();
        String calendar = LocalStack.LOCAL_CALENDAR_USER;
        List<String> googleIds = new ArrayList<>();
        for (int i = 0; i < MEETINGS; i++) {
            ObjectNode event = Json.MAPPER.createObjectNode();
            event.put("summary", "Cold start meeting " + i);
            event.put("description", "Agenda: review, pricing, next steps");
            Instant start = Instant.parse("2031-02-03T09:00:00Z").plusSeconds(86_400L * i);
            event.putObject("start").put("dateTime", start.toString());
            event.putObject("end").put("dateTime", start.plusSeconds(3_600).toString());
            event.putArray("attendees").addObject().put("email", "person" + i + "@example.com");
            googleIds.add(google.insertAsUser(calendar, EDITOR, event).path("id").asString());
        }
        // channel-renewal opens the calendar's channel, calendar-sync mirrors its meetings, audit-writer writes the deal's history
        setup.invoke(LocalFunctions.CHANNEL_RENEWAL, List.of(scheduled()));
        setup.invoke(LocalFunctions.CALENDAR_SYNC, List.of(syncRequest(calendar, null)));
        List<String> history = new ArrayList<>();
        List<AuditEvent> deal = dealHistory();
        for (int i = 0; i < deal.size(); i += AUDIT_BATCH) {
            history.add(auditBatch(deal.subList(i, Math.min(deal.size(), i + AUDIT_BATCH))));
        }
        setup.invoke(LocalFunctions.AUDIT_WRITER, history);

        ChannelInfo channel = google.channels().stream().filter(c -> !c.stopped() && c.calendarId().equals(calendar))
                .findFirst().orElseThrow(() -> new IllegalStateException("channel-renewal opened no channel for " + calendar));
        String meetingId = query("select id::text from calendar_events where calendar_id = '" + calendar + "' order by id limit 1");
        long entries = Long.parseLong(query("select count(*) from audit_logs where entity_id = '" + DEAL + "'"));
        if (entries != TIMELINE_ENTRIES) {
            throw new IllegalStateException("expected " + TIMELINE_ENTRIES + " audit entries of " + DEAL + ", found " + entries);
        }
        String salesToken = stack.token(Role.SALES, "coldstart-sales");

        Map<String, Fixture> fixtures = new LinkedHashMap<>();
        for (String name : functions) {
            fixtures.put(name, switch (name) {
                case "authorizer" -> new Fixture(LocalFunctions.AUTHORIZER, "dev.pipedesk.authorizer.BareAuthorizerHandler",
                        "a valid sales token for GET /api/calendar/events/{id}", () -> authorizerRequest(salesToken));
                case "calendar" -> new Fixture(LocalFunctions.CALENDAR, "dev.pipedesk.calendar.BareCalendarHandler",
                        "GET /api/calendar/events/{id} of an existing meeting (sales)", () -> getMeeting(meetingId));
                case "timeline" -> new Fixture(LocalFunctions.TIMELINE, "dev.pipedesk.timeline.BareTimelineHandler",
                        "GET /api/timeline/deal/{id}, first page of a deal with " + TIMELINE_ENTRIES + " audit entries (viewer)",
                        ColdStartFixtures.this::timelinePage);
                case "audit-writer" -> new Fixture(LocalFunctions.AUDIT_WRITER, "dev.pipedesk.auditwriter.BareAuditWriterHandler",
                        "an SQS batch of " + AUDIT_BATCH + " new audit events", () -> auditBatch(audit.generate(AUDIT_BATCH)));
                case "channel-renewal" -> new Fixture(LocalFunctions.CHANNEL_RENEWAL,
                        "dev.pipedesk.renewal.BareChannelRenewalHandler",
                        "a scheduled run: one active channel (not due), the outbox relay", ColdStartFixtures.this::scheduled);
                case "webhook" -> new Fixture(LocalFunctions.WEBHOOK, "dev.pipedesk.webhook.BareWebhookHandler",
                        "a valid Google notification of the open channel (next message number)", () -> notification(channel));
                case "calendar-sync" -> new Fixture(LocalFunctions.CALENDAR_SYNC, "dev.pipedesk.calendarsync.BareCalendarSyncHandler",
                        "a sync request for a calendar of " + MEETINGS + " meetings, one edited in Google just before",
                        () -> {
                            String id = googleIds.get((int) (edits.getAndIncrement() % googleIds.size()));
                            google.editAsUser(calendar, id, ExternalEdit.by(EDITOR).withSummary("Edited " + edits.get()));
                            return syncRequest(calendar, channel.id());
                        });
                default -> throw new IllegalArgumentException("no cold-start fixture for " + name);
            });
        }
        return fixtures;
    }

    // --- events ----------------------------------------------------------------------------------

    private ObjectNode fixture(String function, String file) {
        Path path = repoRoot.resolve("functions").resolve(function).resolve("src/test/resources/events").resolve(file);
        try {
            return (ObjectNode) Json.MAPPER.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the event fixture " + path, e);
        }
    }

    String authorizerRequest(String token) {
        ObjectNode event = fixture("authorizer", "authorizer-request.json");
        String path = "/api/calendar/events/1";
        event.put("routeKey", "GET /api/calendar/events/{id}");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.remove("queryStringParameters");
        event.putArray("identitySource").add("Bearer " + token);
        ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + token);
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("routeKey", "GET /api/calendar/events/{id}");
        ((ObjectNode) context.get("http")).put("path", path);
        context.put("requestId", UUID.randomUUID().toString());
        return Json.write(event);
    }

    /** An API Gateway payload 2.0 GET as the gateway passes it on, with the authorizer's context. */
    private String apiGet(String function, String file, String routeKey, String path, Map<String, String> pathParameters,
                          Role role, String userId) {
        ObjectNode event = fixture(function, file);
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.remove("queryStringParameters");
        event.remove("body");
        ObjectNode parameters = event.putObject("pathParameters");
        pathParameters.forEach(parameters::put);
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("routeKey", routeKey);
        context.put("requestId", UUID.randomUUID().toString());
        ObjectNode http = (ObjectNode) context.get("http");
        http.put("method", "GET");
        http.put("path", path);
        ObjectNode lambda = context.putObject("authorizer").putObject("lambda");
        lambda.put("userId", userId);
        lambda.put("email", userId + "@example.com");
        lambda.put("role", role.name().toLowerCase(java.util.Locale.ROOT));
        return Json.write(event);
    }

    String getMeeting(String id) {
        return apiGet("calendar", "list-emails.json", "GET /api/calendar/events/{id}", "/api/calendar/events/" + id,
                Map.of("id", id), Role.SALES, "coldstart-sales");
    }

    String timelinePage() {
        return apiGet("timeline", "timeline-viewer-request.json", "GET /api/timeline/{entity_type}/{entity_id}",
                "/api/timeline/deal/" + DEAL, Map.of("entity_type", "deal", "entity_id", DEAL), Role.VIEWER, "coldstart-viewer");
    }

    String scheduled() {
        return ScheduledEvents.event(LocalFunctions.CHANNEL_RENEWAL_RULE, Instant.now(), LocalSqs.REGION, LocalSqs.ACCOUNT_ID);
    }

    String notification(ChannelInfo channel) {
        ObjectNode event = fixture("webhook", "google-calendar-notification.json");
        ObjectNode headers = (ObjectNode) event.get("headers");
        headers.put("x-goog-channel-id", channel.id());
        headers.put("x-goog-channel-token", channel.token());
        headers.put("x-goog-resource-id", channel.resourceId());
        headers.put("x-goog-resource-uri", channel.resourceUri());
        headers.put("x-goog-message-number", Long.toString(messageNumber.incrementAndGet()));
        headers.remove("x-goog-channel-expiration");
        ((ObjectNode) event.get("requestContext")).put("requestId", UUID.randomUUID().toString());
        return Json.write(event);
    }

    String syncRequest(String calendar, String channelId) {
        ObjectNode event = fixture("calendar-sync", "sqs-fifo-event.json");
        ArrayNode records = (ArrayNode) event.get("Records");
        ObjectNode record = (ObjectNode) records.get(0);
        records.removeAll();
        records.add(record);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("calendar_id", calendar);
        body.put("reason", channelId == null ? "backstop" : "notification");
        if (channelId != null) {
            body.put("channel_id", channelId);
            body.put("message_number", messageNumber.incrementAndGet());
        }
        body.put("requested_at", Instant.now().toString());
        record.put("messageId", UUID.randomUUID().toString());
        record.put("body", Json.write(body));
        ((ObjectNode) record.get("attributes")).put("MessageGroupId", calendar);
        return Json.write(event);
    }

    /** An SQS event of these audit events, as the audit queue's event source mapping delivers them. */
    String auditBatch(List<AuditEvent> events) {
        ObjectNode event = fixture("audit-writer", "sqs-event.json");
        ArrayNode records = (ArrayNode) event.get("Records");
        ObjectNode template = (ObjectNode) records.get(0);
        records.removeAll();
        for (AuditEvent audited : events) {
            ObjectNode record = template.deepCopy();
            record.put("messageId", UUID.randomUUID().toString());
            record.put("body", Json.write(audited));
            records.add(record);
        }
        return Json.write(event);
    }

    /** {@value #TIMELINE_ENTRIES} deal updates of {@value #DEAL}. */
    private List<AuditEvent> dealHistory() {
        List<AuditEvent> events = new ArrayList<>();
        while (events.size() < TIMELINE_ENTRIES) {
            AuditEvent next = audit.next();
            if (next.entityType().equals("deal")) {
                ObjectNode json = (ObjectNode) Json.MAPPER.valueToTree(next);
                json.put("entity_id", DEAL);
                for (String side : List.of("before", "after")) {
                    if (json.get(side) instanceof ObjectNode state) {
                        state.put("id", DEAL);
                    }
                }
                events.add(Json.MAPPER.treeToValue(json, AuditEvent.class));
            }
        }
        return events;
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = stack.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new IllegalStateException("no row for: " + sql);
            }
            return rows.getString(1);
        }
    }

    /**
     * An answer as compared between variants: its JSON without null-valued fields ({@code FunctionInvoker} writes
     * an API Gateway response's unset {@code cookies} and {@code multiValueHeaders} as null, the runtime's
     * serializer leaves them out; API Gateway reads both the same), and with the time of a run (channel-renewal's
     * {@code ran_at}) left out: the two runs are at different times.
     */
    static JsonNode parse(String json) {
        return withoutNulls(Json.MAPPER.readTree(json));
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            object.properties().forEach(field -> {
                if (!field.getValue().isNull() && !field.getKey().equals("ran_at")) {
                    copy.set(field.getKey(), withoutNulls(field.getValue()));
                }
            });
            return copy;
        }
        return node;
    }
}
