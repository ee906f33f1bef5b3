package dev.pipedesk.local.sync;

import static dev.pipedesk.local.calendar.CalendarTestSupport.EVENTS;
import static dev.pipedesk.local.calendar.CalendarTestSupport.google;
import static dev.pipedesk.local.calendar.CalendarTestSupport.meeting;
import static dev.pipedesk.local.calendar.CalendarTestSupport.slot;
import static dev.pipedesk.local.calendar.CalendarTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipedesk.auth.Role;
import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.ChannelInfo;
import dev.pipedesk.emulator.calendar.DeliveryAttempt;
import dev.pipedesk.emulator.calendar.ExternalEdit;
import dev.pipedesk.local.LocalStack;
import dev.pipedesk.local.testing.Api;
import dev.pipedesk.local.testing.ApiClient;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Google Calendar sync end to end on the shared local stack: a change made in Google (through the
 * emulator's control API, "as another Google user") reaches the mirror through the emulator's push,
 * the webhook function, the FIFO sync queue and the calendar-sync function, and is audited once as
 * {@code system:google-sync}; PipeDesk's own writes never come back; duplicate, dropped and stale
 * notifications and forged ones are handled.
 *
 * <p>The synced calendar is {@code primary}, the emulator's impersonated user
 * ({@value LocalStack#LOCAL_CALENDAR_USER}). Every test first makes sure it is watched and synced
 * ({@link #awaitWatched()}), so the tests need no order. The emulator's push faults are global: each
 * test sets them right before the change they are for, and {@link #restorePush()} clears them.
 * Edit-to-visible times are printed ({@code [sync-timing]}).
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class GoogleSyncFlowTest {
    private static final String CALENDAR = LocalStack.LOCAL_CALENDAR_USER;
    private static final String CHANNELS = "/api/calendar/channels";
    private static final String WEBHOOK = "/webhooks/google-calendar";
    private static final String RUN_RENEWAL = "/_local/functions/channel-renewal/invoke";
    private static final String SYNC_ACTOR = "system:google-sync";
    private static final String COLLEAGUE = "colleague@example.com";
    /** Each test its own users, so one test's polling never uses up another's rate limit. */
    private static final java.util.concurrent.atomic.AtomicInteger USERS = new java.util.concurrent.atomic.AtomicInteger();
    /** Generous: the machine is slow and shared; the outcome is asserted exactly. */
    private static final Duration SYNC_WAIT = Duration.ofSeconds(60);
    /** A dropped notification waits for the backstop (5 s in the test stack) and a scheduled run. */
    private static final Duration BACKSTOP_WAIT = Duration.ofSeconds(90);
    /** Polls stay well under the stack's 600 requests per user and minute. */
    private static final Duration POLL = Duration.ofMillis(150);

    private final LocalStack stack = LocalStackExtension.stack();
    private final Api api = LocalStackExtension.api();
    private final int user = USERS.incrementAndGet();
    private final String salesUser = "sync-sales-" + user;
    private final ApiClient sales = api.as(Role.SALES, salesUser);
    private final ApiClient manager = api.as(Role.MANAGER, "sync-manager-" + user);
    private final ApiClient admin = api.as(Role.ADMIN, "sync-admin-" + user);

    @BeforeEach
    void requireTheSyncPipeline() {
        for (String function : List.of("calendar", "webhook", "calendar-sync", "channel-renewal", "timeline", "audit-writer")) {
            LocalStackExtension.requireFunction(function);
        }
    }

    @AfterEach
    void restorePush() {
        google().dropNextPush(0);
        google().duplicateNextPush(0);
        google().deliverAfterStop(0);
    }

    // --- 1. external edit ------------------------------------------------------------------------

    @Test
    void anEditMadeInGoogleIsVisibleThroughTheApiWithOneSyncUpdate() {
        awaitWatched();
        JsonNode created = createMeeting(unique("Edited in Google"));
        String id = created.path("id").asString();
        awaitOwnWritesSynced(activeChannelId());
        String summary = unique("Moved by a colleague");
        Instant start = slot();
        Instant end = start.plus(90, ChronoUnit.MINUTES);

        long editedAt = System.nanoTime();
        google().editAsUser(created.path("calendar_id").asString(), created.path("google_event_id").asString(),
                ExternalEdit.by(COLLEAGUE).withSummary(summary).withTimes(start, end));
        JsonNode shown = awaitEvent(id, SYNC_WAIT, e -> summary.equals(e.path("summary").asString()));
        timing("edit -> visible", editedAt);

        assertThat(Instant.parse(shown.path("start_time").asString())).isEqualTo(start);
        assertThat(Instant.parse(shown.path("end_time").asString())).isEqualTo(end);
        assertThat(shown.path("status").asString()).isEqualTo("confirmed");
        assertThat(shown.path("created_by").asString()).as("CRM-owned fields survive").isEqualTo(salesUser);
        assertThat(shown.path("description").asString()).isEqualTo(created.path("description").asString());
        List<JsonNode> trail = settledTrail(id, t -> actions(t).contains("sync_update"));
        assertThat(actions(trail)).containsExactly("create", "sync_update");
        JsonNode update = trail.get(1);
        assertBySync(update);
        assertThat(update.path("changes").propertyNames()).contains("summary", "start_time", "end_time")
                .doesNotContain("description", "created_by", "entity_type", "entity_id");
        assertThat(update.at("/changes/summary/old").asString()).isEqualTo(created.path("summary").asString());
        assertThat(update.at("/changes/summary/new").asString()).isEqualTo(summary);
        assertThat(Instant.parse(update.at("/changes/start_time/old").asString()))
                .isEqualTo(Instant.parse(created.path("start_time").asString()));
        assertThat(Instant.parse(update.at("/changes/start_time/new").asString())).isEqualTo(start);
        assertThat(Instant.parse(update.at("/changes/end_time/new").asString())).isEqualTo(end);
    }

    // --- 2. external cancel ----------------------------------------------------------------------

    @Test
    void aCancellationInGoogleCancelsTheMeeting() {
        awaitWatched();
        JsonNode created = createMeeting(unique("Cancelled in Google"));
        String id = created.path("id").asString();
        awaitOwnWritesSynced(activeChannelId());

        long editedAt = System.nanoTime();
        google().editAsUser(created.path("calendar_id").asString(), created.path("google_event_id").asString(),
                ExternalEdit.by(COLLEAGUE).withStatus("cancelled"));
        JsonNode shown = awaitEvent(id, SYNC_WAIT, e -> "cancelled".equals(e.path("status").asString()));
        timing("cancel -> visible", editedAt);

        assertThat(shown.path("summary").asString()).as("details kept").isEqualTo(created.path("summary").asString());
        assertThat(shown.path("entity_type")).isEqualTo(created.path("entity_type"));
        assertThat(shown.path("created_by").asString()).isEqualTo(salesUser);
        List<JsonNode> trail = settledTrail(id, t -> actions(t).contains("sync_cancel"));
        assertThat(actions(trail)).containsExactly("create", "sync_cancel");
        JsonNode cancel = trail.get(1);
        assertBySync(cancel);
        assertThat(cancel.at("/changes/status/old").asString()).isEqualTo("confirmed");
        assertThat(cancel.at("/changes/status/new").asString()).isEqualTo("cancelled");
    }

    // --- 3. external create ----------------------------------------------------------------------

    @Test
    void anEventCreatedInGoogleAppearsWithoutACrmLink() {
        awaitWatched();
        String summary = unique("Booked in Google");
        Instant start = slot();
        Instant end = start.plus(45, ChronoUnit.MINUTES);

        long insertedAt = System.nanoTime();
        JsonNode inserted = google().insertAsUser(CALENDAR, COLLEAGUE, Json.MAPPER.valueToTree(Map.of(
                "summary", summary,
                "start", Map.of("dateTime", start.toString()),
                "end", Map.of("dateTime", end.toString()))));
        Map<String, Object> window = Map.of("time_min", start.toString(), "time_max", end.toString());
        JsonNode mirrored = await("the Google event in the list").atMost(SYNC_WAIT).pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(() -> withSummary(sales.get(EVENTS, window), summary), Optional::isPresent).orElseThrow();
        timing("Google create -> listed", insertedAt);

        String id = mirrored.path("id").asString();
        assertThat(mirrored.path("google_event_id").asString()).isEqualTo(inserted.path("id").asString());
        assertThat(mirrored.path("calendar_id").asString()).isEqualTo(CALENDAR);
        assertThat(mirrored.path("created_by").asString()).isEqualTo(SYNC_ACTOR);
        assertThat(mirrored.path("entity_type").isNull()).isTrue();
        assertThat(mirrored.path("entity_id").isNull()).isTrue();
        assertThat(Instant.parse(mirrored.path("start_time").asString())).isEqualTo(start);
        assertThat(Instant.parse(mirrored.path("end_time").asString())).isEqualTo(end);

        ApiResponse bySales = sales.patch(EVENTS + "/" + id, Map.of("summary", "Taken over by sales"));
        assertThat(bySales.status()).as(bySales.toString()).isEqualTo(403);
        assertThat(bySales.errorCode()).contains("forbidden");
        String managed = unique("Taken over by a manager");
        ApiResponse byManager = manager.patch(EVENTS + "/" + id, Map.of("summary", managed));
        assertThat(byManager.status()).as(byManager.toString()).isEqualTo(200);
        assertThat(byManager.json().path("summary").asString()).isEqualTo(managed);
        assertThat(byManager.json().path("created_by").asString()).isEqualTo(SYNC_ACTOR);
        assertThat(google().event(CALENDAR, inserted.path("id").asString()).orElseThrow().path("summary").asString())
                .isEqualTo(managed);

        awaitOwnWritesSynced(activeChannelId());
        List<JsonNode> trail = settledTrail(id, t -> actions(t).containsAll(List.of("sync_create", "update")));
        assertThat(actions(trail)).as("the manager's own PATCH does not come back").containsExactly("sync_create", "update");
        assertBySync(trail.get(0));
        assertThat(trail.get(1).at("/actor/id").asString()).isEqualTo("sync-manager-" + user);
    }

    // --- 4. no echo ------------------------------------------------------------------------------

    @Test
    void ourOwnCreatePatchAndCancelNeverComeBackAsSyncEntries() {
        awaitWatched();
        String channelId = activeChannelId();
        long before = emulatorChannel(channelId).lastMessageNumber();

        JsonNode created = createMeeting(unique("Our own writes"));
        String id = created.path("id").asString();
        ApiResponse patched = sales.patch(EVENTS + "/" + id, Map.of("summary", unique("Our own patch")));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        Instant beforeCancel = Instant.now();
        ApiResponse cancelled = sales.delete(EVENTS + "/" + id);
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        long last = emulatorChannel(channelId).lastMessageNumber();
        assertThat(last).as("three writes, three notifications at least").isGreaterThanOrEqualTo(before + 3);

        await("the notifications of our writes delivered and their syncs done, after the cancel").atMost(SYNC_WAIT)
                .until(() -> delivered(channelId, last) && syncQueueEmpty() && lastSyncAt().filter(at -> at.isAfter(beforeCancel)).isPresent());

        List<JsonNode> trail = settledTrail(id, t -> actions(t).size() >= 3);
        assertThat(actions(trail)).as(trail.toString()).containsExactly("create", "update", "cancel");
        assertThat(trail).allSatisfy(entry -> assertThat(entry.at("/actor/id").asString()).isEqualTo(salesUser));
        assertThat(sales.get(EVENTS + "/" + id).json().path("status").asString()).isEqualTo("cancelled");
    }

    // --- 5. burst of duplicates ------------------------------------------------------------------

    @Test
    void aBurstOfDuplicateNotificationsAppliesEveryChangeOnce() {
        awaitWatched();
        String channelId = activeChannelId();
        List<JsonNode> meetings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            meetings.add(createMeeting(unique("Burst " + i)));
        }
        awaitOwnWritesSynced(channelId);
        Path syncLog = stack.logFile("calendar-sync").orElseThrow();
        long logFrom = size(syncLog);
        long before = emulatorChannel(channelId).lastMessageNumber();
        Map<String, String> edits = new LinkedHashMap<>();

        google().duplicateNextPush(50);
        long editedAt = System.nanoTime();
        for (JsonNode meeting : meetings) {
            String summary = unique("Burst edit");
            google().editAsUser(meeting.path("calendar_id").asString(), meeting.path("google_event_id").asString(),
                    ExternalEdit.by(COLLEAGUE).withSummary(summary));
            edits.put(meeting.path("id").asString(), summary);
        }
        long last = emulatorChannel(channelId).lastMessageNumber();
        Map<String, Object> window = Map.of("time_min", first(meetings, "start_time"), "time_max", last(meetings, "end_time"),
                "limit", 100);
        await("all 20 edits visible").atMost(SYNC_WAIT).pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(() -> summariesById(sales.get(EVENTS, window)).entrySet().containsAll(edits.entrySet()));
        timing("20 edits -> all visible", editedAt);

        List<DeliveryAttempt> burst = await("every notification of the burst delivered twice").atMost(SYNC_WAIT)
                .until(() -> delivered(attemptsAfter(channelId, before)), attempts -> attempts.size() >= 40);
        assertThat(burst).as("20 notifications, each delivered twice with its number").hasSize(40)
                .allSatisfy(a -> assertThat(a.resourceState()).isEqualTo("exists"));
        assertThat(burst.stream().collect(Collectors.groupingBy(DeliveryAttempt::messageNumber, Collectors.counting())))
                .hasSize(20).allSatisfy((number, copies) -> assertThat(copies).as("copies of " + number).isEqualTo(2))
                .containsKey(last);
        assertThat(attemptsAfter(channelId, before)).as("no notification refused or given up")
                .noneMatch(a -> a.outcome() == DeliveryAttempt.Outcome.REJECTED || a.outcome() == DeliveryAttempt.Outcome.GAVE_UP);
        await("the syncs of the burst done").atMost(SYNC_WAIT).until(this::syncQueueEmpty);
        for (Map.Entry<String, String> edit : edits.entrySet()) {
            List<JsonNode> trail = settledTrail(edit.getKey(), t -> actions(t).contains("sync_update"));
            assertThat(actions(trail)).as(edit.getKey()).containsExactly("create", "sync_update");
            assertThat(trail.get(1).at("/changes/summary/new").asString()).isEqualTo(edit.getValue());
        }
        String logged = await("the burst's syncs logged").atMost(SYNC_WAIT).until(() -> readFrom(syncLog, logFrom),
                text -> text.contains("calendar-sync: calendar=" + CALENDAR));
        assertThat(logged).as("the FIFO group keeps one calendar's syncs single-flight")
                .doesNotContain("another sync of this calendar is running");
    }

    // --- 6. dropped notification -----------------------------------------------------------------

    @Test
    void aDroppedNotificationIsCaughtByTheBackstop() {
        awaitWatched();
        String channelId = activeChannelId();
        JsonNode created = createMeeting(unique("Edit without push"));
        String id = created.path("id").asString();
        awaitOwnWritesSynced(channelId);
        long before = emulatorChannel(channelId).lastMessageNumber();
        String summary = unique("Nobody told us");

        google().dropNextPush(1);
        long editedAt = System.nanoTime();
        google().editAsUser(created.path("calendar_id").asString(), created.path("google_event_id").asString(),
                ExternalEdit.by(COLLEAGUE).withSummary(summary));
        awaitEvent(id, BACKSTOP_WAIT, e -> summary.equals(e.path("summary").asString()));
        timing("edit with dropped push -> visible (backstop)", editedAt);

        assertThat(attemptsAfter(channelId, before)).as("the edit's only notification was dropped: no push brought it")
                .singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo(DeliveryAttempt.Outcome.DROPPED));
        List<JsonNode> trail = settledTrail(id, t -> actions(t).contains("sync_update"));
        assertThat(actions(trail)).containsExactly("create", "sync_update");
        assertBySync(trail.get(1));
        assertThat(trail.get(1).at("/changes/summary/new").asString()).isEqualTo(summary);
    }

    // --- 7. stopped channel ----------------------------------------------------------------------

    @Test
    void notificationsOnAStoppedChannelAreIgnored() {
        awaitWatched();
        String oldChannel = activeChannelId();
        JsonNode created = createMeeting(unique("Edited after a stop"));
        String id = created.path("id").asString();
        awaitOwnWritesSynced(oldChannel);
        JsonNode oldBefore = channel(oldChannel).orElseThrow();
        long before = emulatorChannel(oldChannel).lastMessageNumber();

        google().deliverAfterStop(1);
        ApiResponse stopped = admin.delete(CHANNELS + "/" + oldChannel);
        google().deliverAfterStop(0);
        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        assertThat(stopped.json().path("id").asString()).isEqualTo(oldChannel);
        assertThat(stopped.json().path("state").asString()).isEqualTo("stopped");
        assertThat(emulatorChannel(oldChannel).stopped()).as("stopped in Google").isTrue();

        ApiResponse run = api.anonymous().post(RUN_RENEWAL, null);
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        String newChannel = awaitWatched();
        assertThat(newChannel).isNotEqualTo(oldChannel);
        assertThat(renewalOf(run).path("channel_id").asString()).as("the run's live channel").isEqualTo(newChannel);

        String summary = unique("Edited on the new channel");
        google().editAsUser(created.path("calendar_id").asString(), created.path("google_event_id").asString(),
                ExternalEdit.by(COLLEAGUE).withSummary(summary));
        awaitEvent(id, SYNC_WAIT, e -> summary.equals(e.path("summary").asString()));

        List<DeliveryAttempt> toStopped = await("the stopped channel's one more notification").atMost(SYNC_WAIT)
                .until(() -> attemptsAfter(oldChannel, before), attempts -> !attempts.isEmpty());
        assertThat(toStopped).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(DeliveryAttempt.Outcome.DELIVERED);
            assertThat(a.statusCode()).isEqualTo(200);
            assertThat(a.resourceState()).isEqualTo("exists");
        });
        assertThat(channel(oldChannel).orElseThrow().path("last_message_number"))
                .as("a notification on a stopped channel is not recorded").isEqualTo(oldBefore.path("last_message_number"));
        assertThat(channel(oldChannel).orElseThrow().path("state").asString()).isEqualTo("stopped");
        List<JsonNode> trail = settledTrail(id, t -> actions(t).contains("sync_update"));
        assertThat(actions(trail)).containsExactly("create", "sync_update");
        assertBySync(trail.get(1));
    }

    // --- 8. forged notification ------------------------------------------------------------------

    @Test
    void theWebhookRefusesAForgedToken() {
        awaitWatched();
        JsonNode live = channel(activeChannelId()).orElseThrow();
        String forgedToken = "forged-" + UUID.randomUUID();
        ApiClient google = api.anonymous()
                .header("X-Goog-Channel-ID", live.path("id").asString())
                .header("X-Goog-Resource-ID", live.path("resource_id").asString())
                .header("X-Goog-Resource-State", "exists")
                .header("X-Goog-Message-Number", "987654321");

        ApiResponse forged = google.header("X-Goog-Channel-Token", forgedToken).post(WEBHOOK, null);
        ApiResponse tokenless = google.post(WEBHOOK, null);
        ApiResponse unknown = api.anonymous()
                .header("X-Goog-Channel-ID", UUID.randomUUID().toString())
                .header("X-Goog-Channel-Token", forgedToken)
                .header("X-Goog-Resource-ID", live.path("resource_id").asString())
                .header("X-Goog-Resource-State", "exists")
                .header("X-Goog-Message-Number", "5")
                .post(WEBHOOK, null);

        assertThat(forged.status()).as(forged.toString()).isEqualTo(403);
        assertThat(forged.errorCode()).contains("forbidden");
        assertThat(forged.body()).doesNotContain(forgedToken);
        assertThat(tokenless.status()).as(tokenless.toString()).isEqualTo(401);
        assertThat(tokenless.errorCode()).contains("unauthorized");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(200);
        assertThat(unknown.at("/result").asString()).isEqualTo("ignored");
        assertThat(channel(live.path("id").asString()).orElseThrow().path("last_message_number").asLong(0))
                .as("a refused notification is not recorded").isNotEqualTo(987654321L);
        Path webhookLog = stack.logFile("webhook").orElseThrow();
        String logged = await("the refusals in the security log").atMost(SYNC_WAIT).until(() -> readFrom(webhookLog, 0),
                text -> text.contains("refused status=403 channel=" + live.path("id").asString())
                        && text.contains("refused status=401 channel=" + live.path("id").asString()));
        assertThat(logged).as("the token is never logged").doesNotContain(forgedToken);
    }

    // --- the calendar's channels and sync state ---------------------------------------------------

    /**
     * Runs channel renewal now and waits until the calendar has had its first sync and has exactly
     * one active channel; answers that channel's id.
     */
    private String awaitWatched() {
        ApiResponse run = api.anonymous().post(RUN_RENEWAL, null);
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        JsonNode calendar = await("calendar " + CALENDAR + " synced once and watched by one channel").atMost(SYNC_WAIT)
                .until(this::calendarState, c -> "syncing".equals(c.path("state").asString())
                        && !c.path("sync_token_age_seconds").isNull() && activeChannels(c).size() == 1);
        return activeChannels(calendar).getFirst().path("id").asString();
    }

    private String activeChannelId() {
        List<JsonNode> active = activeChannels(calendarState());
        assertThat(active).as("active channels of " + CALENDAR).hasSize(1);
        return active.getFirst().path("id").asString();
    }

    /** The calendar as {@code GET /api/calendar/channels} shows it. */
    private JsonNode calendarState() {
        ApiResponse response = admin.get(CHANNELS);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return elements(response.at("/calendars")).stream()
                .filter(c -> CALENDAR.equals(c.path("calendar_id").asString()))
                .findFirst().orElseThrow(() -> new AssertionError(CALENDAR + " is not a synced calendar: " + response));
    }

    private Optional<JsonNode> channel(String channelId) {
        return elements(calendarState().path("channels")).stream()
                .filter(c -> channelId.equals(c.path("id").asString())).findFirst();
    }

    private static List<JsonNode> activeChannels(JsonNode calendar) {
        return elements(calendar.path("channels")).stream().filter(c -> "active".equals(c.path("state").asString())).toList();
    }

    private Optional<Instant> lastSyncAt() {
        JsonNode at = calendarState().path("last_sync_at");
        return at.isString() ? Optional.of(Instant.parse(at.asString())) : Optional.empty();
    }

    /** The channel in the emulator (Google's side). */
    private static ChannelInfo emulatorChannel(String channelId) {
        return google().channels().stream().filter(c -> c.id().equals(channelId)).findFirst()
                .orElseThrow(() -> new AssertionError("the emulator has no channel " + channelId));
    }

    private JsonNode renewalOf(ApiResponse run) {
        return elements(run.at("/jobs/channel_renewal/calendars")).stream()
                .filter(c -> CALENDAR.equals(c.path("calendar_id").asString()))
                .findFirst().orElseThrow(() -> new AssertionError("no renewal of " + CALENDAR + ": " + run));
    }

    // --- notifications and the sync queue --------------------------------------------------------

    /** Every delivery attempt on the channel of a notification numbered above {@code messageNumber}. */
    private static List<DeliveryAttempt> attemptsAfter(String channelId, long messageNumber) {
        return google().deliveryAttempts(channelId).stream().filter(a -> a.messageNumber() > messageNumber).toList();
    }

    private static List<DeliveryAttempt> delivered(List<DeliveryAttempt> attempts) {
        return attempts.stream().filter(a -> a.outcome() == DeliveryAttempt.Outcome.DELIVERED).toList();
    }

    /** Whether notification {@code messageNumber} of the channel was delivered (the webhook answered 2xx). */
    private static boolean delivered(String channelId, long messageNumber) {
        return google().deliveryAttempts(channelId).stream()
                .anyMatch(a -> a.messageNumber() == messageNumber && a.outcome() == DeliveryAttempt.Outcome.DELIVERED);
    }

    private boolean syncQueueEmpty() {
        return stack.sqs().syncQueueDepth().total() == 0;
    }

    /**
     * Waits until the channel's latest notification (those of the writes made so far) was delivered
     * and the syncs it asked for are done: the webhook enqueues before it answers, and a message
     * leaves the FIFO queue only when its sync has finished. A change made after this is not picked
     * up by a sync of an earlier write.
     */
    private void awaitOwnWritesSynced(String channelId) {
        long last = emulatorChannel(channelId).lastMessageNumber();
        await("notification " + last + " delivered and its sync done").atMost(SYNC_WAIT)
                .until(() -> delivered(channelId, last) && syncQueueEmpty());
    }

    // --- meetings --------------------------------------------------------------------------------

    private JsonNode createMeeting(String summary) {
        ApiResponse created = sales.post(EVENTS, meeting(summary, slot()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    /** Polls {@code GET /api/calendar/events/{id}} until the meeting satisfies the condition. */
    private JsonNode awaitEvent(String id, Duration atMost, Predicate<JsonNode> condition) {
        return await("meeting " + id).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(() -> {
                    ApiResponse response = sales.get(EVENTS + "/" + id);
                    assertThat(response.status()).as(response.toString()).isEqualTo(200);
                    return response.json();
                }, condition);
    }

    private static Optional<JsonNode> withSummary(ApiResponse list, String summary) {
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return elements(list.json()).stream().filter(e -> summary.equals(e.path("summary").asString())).findFirst();
    }

    private static Map<String, String> summariesById(ApiResponse list) {
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        Map<String, String> summaries = new LinkedHashMap<>();
        elements(list.json()).forEach(e -> summaries.put(e.path("id").asString(), e.path("summary").asString()));
        return summaries;
    }

    private static String first(List<JsonNode> meetings, String field) {
        return meetings.stream().map(m -> Instant.parse(m.path(field).asString())).min(Instant::compareTo).orElseThrow().toString();
    }

    private static String last(List<JsonNode> meetings, String field) {
        return meetings.stream().map(m -> Instant.parse(m.path(field).asString())).max(Instant::compareTo).orElseThrow().toString();
    }

    // --- the audit trail -------------------------------------------------------------------------

    /** The meeting's audit trail through the API, oldest first. */
    private List<JsonNode> trail(String id) {
        ApiResponse response = manager.get("/api/audit-logs/entity/calendar_event/" + id, Map.of("limit", 100));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return elements(response.at("/items")).reversed();
    }

    /**
     * The trail once it satisfies {@code complete} and nothing more is on its way to it: no audit
     * event of the meeting waits in the outbox, the audit queue is empty, and no sync is pending.
     */
    private List<JsonNode> settledTrail(String id, Predicate<List<JsonNode>> complete) {
        await("the audit trail of " + id).atMost(SYNC_WAIT)
                .until(() -> complete.test(trail(id)) && outboxEvents(id) == 0
                        && stack.sqs().auditQueueDepth().total() == 0 && syncQueueEmpty());
        return trail(id);
    }

    private static List<String> actions(List<JsonNode> trail) {
        return trail.stream().map(entry -> entry.path("action").asString()).toList();
    }

    private static void assertBySync(JsonNode entry) {
        assertThat(entry.at("/actor/type").asString()).as(entry.toString()).isEqualTo("system");
        assertThat(entry.at("/actor/id").asString()).as(entry.toString()).isEqualTo(SYNC_ACTOR);
        assertThat(entry.path("source").asString()).as(entry.toString()).isEqualTo("google_sync");
    }

    private long outboxEvents(String entityId) throws SQLException {
        try (Connection c = stack.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from audit_outbox where payload->>'entity_id' = ?")) {
            ps.setString(1, entityId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // --- small things ----------------------------------------------------------------------------

    private static List<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readFrom(Path file, long offset) {
        try {
            byte[] all = Files.readAllBytes(file);
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void timing(String what, long startNanos) {
        System.out.printf("[sync-timing] %s: %d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
