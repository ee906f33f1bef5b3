package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.Ids;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.testing.LogCapture;
import dev.pipedesk.emulator.calendar.CallMatcher;
import dev.pipedesk.emulator.calendar.ChannelInfo;
import dev.pipedesk.emulator.calendar.EmulatorControl;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.ExternalEdit;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.emulator.calendar.ReceivedCall;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gateway's {@link GoogleCalendarFeed} (calendars.get, events.list pages, events.watch,
 * channels.stop) against the Google Calendar emulator through the real client. Pages hold
 * {@value #PAGE_SIZE} events so that a few events make several pages; pauses are recorded on a
 * clock only they move, so nothing here waits.
 */
@Tag("integration")
class GoogleCalendarFeedTest {
    private static final int PAGE_SIZE = 2;
    private static final String OWNER = "calendar@example.com";
    private static final Duration MAX_CHANNEL_TTL = Duration.ofHours(1);
    private static final Instant START = Instant.parse("2031-04-07T09:00:00Z");
    private static final List<String> FORBIDDEN_WITH_SYNC_TOKEN = List.of("iCalUID", "orderBy",
            "privateExtendedProperty", "q", "sharedExtendedProperty", "timeMin", "timeMax", "updatedMin", "showDeleted");
    private static GoogleCalendarEmulator emulator;

    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<Duration> pauses = new ArrayList<>();
    private GoogleCalendarGateway gateway;

    /** Every page of one listing, walked as the sync walks it. */
    private record Walk(List<ChangePage> pages, List<GoogleEventSnapshot> items, String nextSyncToken) {
    }

    @BeforeAll
    static void startEmulator() {
        emulator = GoogleCalendarEmulator.start(EmulatorOptions.defaults()
                .withAllowHttpWebhooks(true)
                .withMaxChannelTtl(MAX_CHANNEL_TTL)
                // Nobody listens at the channels' address: one failed delivery each, no retries.
                .withPushRetry(Duration.ofMillis(10), 1));
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void freshGateway() {
        control().reset();
        gateway = EmulatorGateways.on(emulator, OWNER, Map.of(
                "GOOGLE_RETRY_MAX_ATTEMPTS", "3",
                "GOOGLE_SYNC_PAGE_SIZE", Integer.toString(PAGE_SIZE)), pauses, clock);
    }

    private static EmulatorControl control() {
        return emulator.control();
    }

    private List<GoogleEventSnapshot> insertMeetings(int count) {
        List<GoogleEventSnapshot> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant start = START.plus(Duration.ofHours(i));
            created.add(gateway.insert("primary", new EventDraft(Ids.newGoogleEventId(), "Meeting " + i, null, start,
                    start.plusSeconds(1800), List.of(), null, Map.of(GoogleCalendar.REQUEST_MARKER, "request-" + i))));
        }
        return created;
    }

    private Walk walk(String syncToken) {
        List<ChangePage> pages = new ArrayList<>();
        List<GoogleEventSnapshot> items = new ArrayList<>();
        String pageToken = null;
        while (true) {
            ChangePage page = gateway.listPage(OWNER, syncToken, pageToken);
            pages.add(page);
            items.addAll(page.items());
            if (page.isLast()) {
                return new Walk(pages, items, page.nextSyncToken());
            }
            pageToken = page.nextPageToken();
        }
    }

    private static List<ReceivedCall> listCalls() {
        return control().calls("GET", "/events$");
    }

    /** A recorded query string as parameter name → decoded value (the last one of a repeated name). */
    private static Map<String, String> parameters(ReceivedCall call) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : call.query().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            parameters.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static WatchRequest watchRequest(String channelId, String token) {
        return new WatchRequest(channelId, "http://127.0.0.1:1/webhooks/google-calendar", token, Duration.ofDays(7));
    }

    @Test
    void canonicalIdResolvesPrimaryToTheOwnersEmail() {
        assertThat(gateway.canonicalId("primary")).isEqualTo(OWNER);
        assertThat(gateway.canonicalId("team-room@example.com")).isEqualTo("team-room@example.com");
        assertThat(control().calls("GET", "/calendars/[^/]+$")).extracting(ReceivedCall::status).containsExactly(200, 200);
    }

    @Test
    void canonicalIdOfACalendarGoogleDoesNotKnowIsNotFound() {
        control().failNext(1, CallMatcher.of("GET", "/calendars/[^/]+$"), 404, "notFound");

        GoogleCalendarException.NotFound notFound = catchThrowableOfType(GoogleCalendarException.NotFound.class,
                () -> gateway.canonicalId("gone@example.com"));

        assertThat(notFound).isNotNull();
        assertThat(pauses).isEmpty();
    }

    @Test
    void aFullListingWalksEveryPageAndTheStoredTokenThenReturnsOnlyLaterChangesIncludingACancellation() {
        List<GoogleEventSnapshot> created = insertMeetings(5);

        Walk full = walk(null);
        gateway.patch("primary", created.get(0).id(), new EventPatch(FieldChange.set("Renamed"), FieldChange.keep(),
                FieldChange.keep(), FieldChange.keep(), FieldChange.keep(), FieldChange.keep()), null);
        gateway.delete("primary", created.get(1).id());
        control().editAsUser(OWNER, created.get(2).id(), ExternalEdit.by("colleague@example.com").withSummary("Moved by a colleague"));
        Walk incremental = walk(full.nextSyncToken());
        Walk quiet = walk(incremental.nextSyncToken());

        assertThat(full.pages()).hasSize(3);
        assertThat(full.pages().subList(0, 2)).allSatisfy(page -> {
            assertThat(page.nextPageToken()).isNotNull();
            assertThat(page.nextSyncToken()).isNull();
        });
        assertThat(full.nextSyncToken()).isNotNull();
        assertThat(full.items()).extracting(GoogleEventSnapshot::id)
                .containsExactlyInAnyOrderElementsOf(created.stream().map(GoogleEventSnapshot::id).toList());
        assertThat(incremental.items()).extracting(GoogleEventSnapshot::id, GoogleEventSnapshot::status,
                GoogleEventSnapshot::summary).containsExactlyInAnyOrder(
                tuple(created.get(0).id(), EventStatus.CONFIRMED, "Renamed"),
                tuple(created.get(1).id(), EventStatus.CANCELLED, "Meeting 1"),
                tuple(created.get(2).id(), EventStatus.CONFIRMED, "Moved by a colleague"));
        assertThat(incremental.nextSyncToken()).isNotNull().isNotEqualTo(full.nextSyncToken());
        assertThat(quiet.items()).isEmpty();
        assertThat(quiet.nextSyncToken()).isNotNull();
    }

    @Test
    void aBareTombstoneComesAsACancelledSnapshotWithOnlyItsIdAndEtag() {
        GoogleEventSnapshot cancelled = insertMeetings(1).getFirst();
        String token = walk(null).nextSyncToken();
        gateway.delete("primary", cancelled.id());
        control().minimalTombstones(true);

        GoogleEventSnapshot tombstone = walk(token).items().getFirst();

        assertThat(tombstone.id()).isEqualTo(cancelled.id());
        assertThat(tombstone.status()).isEqualTo(EventStatus.CANCELLED);
        assertThat(tombstone.etag()).isNotBlank().isNotEqualTo(cancelled.etag());
        assertThat(tombstone.summary()).isNull();
        assertThat(tombstone.start()).isNull();
        assertThat(tombstone.end()).isNull();
        assertThat(tombstone.attendees()).isEmpty();
        assertThat(tombstone.privateProperties()).isEmpty();
    }

    @Test
    void goneOnAnInvalidatedSyncTokenOnTheFirstPage() {
        insertMeetings(1);
        String token = walk(null).nextSyncToken();
        assertThat(control().invalidateSyncToken(token)).isTrue();
        control().clearCalls();

        GoogleCalendarException.Gone gone = catchThrowableOfType(GoogleCalendarException.Gone.class,
                () -> gateway.listPage(OWNER, token, null));

        assertThat(gone).isNotNull();
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.reason()).isEqualTo("fullSyncRequired");
        // Not retried: a dead token stays dead.
        assertThat(listCalls()).extracting(ReceivedCall::status).containsExactly(410);
        assertThat(pauses).isEmpty();
    }

    @Test
    void goneOnAnInvalidatedSyncTokenOnALaterPage() {
        insertMeetings(5);
        String token = walk(null).nextSyncToken();
        insertMeetings(3);
        ChangePage first = gateway.listPage(OWNER, token, null);
        control().invalidateSyncTokens(OWNER);

        GoogleCalendarException.Gone gone = catchThrowableOfType(GoogleCalendarException.Gone.class,
                () -> gateway.listPage(OWNER, token, first.nextPageToken()));

        assertThat(first.items()).hasSize(PAGE_SIZE);
        assertThat(first.nextPageToken()).isNotNull();
        assertThat(gone).isNotNull();
        assertThat(gone.reason()).isEqualTo("fullSyncRequired");
        assertThat(pauses).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"503, backendError", "429, rateLimitExceeded", "403, rateLimitExceeded"})
    void aTransientFailureOnAPageIsRetriedWithTheSamePageToken(int status, String reason) {
        insertMeetings(5);
        ChangePage first = gateway.listPage(OWNER, null, null);
        control().failNext(1, CallMatcher.of("GET", "/events$"), status, reason);

        ChangePage second = gateway.listPage(OWNER, null, first.nextPageToken());

        assertThat(second.items()).hasSize(PAGE_SIZE);
        List<ReceivedCall> calls = listCalls();
        assertThat(calls).extracting(ReceivedCall::status).containsExactly(200, status, 200);
        assertThat(parameters(calls.get(1))).containsEntry("pageToken", first.nextPageToken());
        assertThat(calls.get(2).query()).isEqualTo(calls.get(1).query());
        assertThat(pauses).hasSize(1);
    }

    @Test
    void aRevokedAccessTokenOnAPageIsReplacedOnce() {
        insertMeetings(1);
        control().revokeAccessTokens();

        Walk full = walk(null);

        assertThat(full.items()).hasSize(1);
        assertThat(listCalls()).extracting(ReceivedCall::status).containsExactly(401, 200);
        assertThat(pauses).isEmpty();
    }

    @Test
    void emptyPagesWithANextPageTokenAreWalked() {
        List<GoogleEventSnapshot> created = insertMeetings(3);
        control().injectEmptyPages(2);

        Walk full = walk(null);

        assertThat(full.pages().subList(0, 2)).allSatisfy(page -> {
            assertThat(page.items()).isEmpty();
            assertThat(page.nextPageToken()).isNotNull();
        });
        assertThat(full.items()).extracting(GoogleEventSnapshot::id)
                .containsExactlyInAnyOrderElementsOf(created.stream().map(GoogleEventSnapshot::id).toList());
        assertThat(full.nextSyncToken()).isNotNull();
    }

    @Test
    void theGatewayNeverSendsAParameterGoogleForbidsWithASyncToken() {
        insertMeetings(3);
        String token = walk(null).nextSyncToken();
        insertMeetings(3);
        control().clearCalls();

        walk(token);

        List<ReceivedCall> incremental = listCalls();
        assertThat(incremental).hasSize(2).allSatisfy(call -> {
            Map<String, String> sent = parameters(call);
            assertThat(call.status()).isEqualTo(200);
            assertThat(sent).containsEntry("syncToken", token)
                    .containsEntry("maxResults", Integer.toString(PAGE_SIZE))
                    .containsEntry("singleEvents", "false")
                    .doesNotContainKeys(FORBIDDEN_WITH_SYNC_TOKEN.toArray(String[]::new));
        });
    }

    @Test
    void theFullListingHasNoTimeWindowAndDoesNotHideCancelledEvents() {
        insertMeetings(1);

        walk(null);

        assertThat(listCalls()).singleElement().satisfies(call -> assertThat(parameters(call))
                .containsEntry("maxResults", Integer.toString(PAGE_SIZE))
                .containsEntry("singleEvents", "false")
                .doesNotContainKeys(FORBIDDEN_WITH_SYNC_TOKEN.toArray(String[]::new))
                .doesNotContainKey("syncToken"));
    }

    @Test
    void watchAnswersTheExpiryGoogleClampedTheLifetimeTo() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        WatchedChannel channel = gateway.watch("primary", watchRequest("channel-clamped", "secret-token-1"));

        Instant after = Instant.now();
        ChannelInfo stored = control().channels().getFirst();
        assertThat(channel.id()).isEqualTo("channel-clamped");
        assertThat(channel.resourceId()).isNotBlank().isEqualTo(stored.resourceId());
        assertThat(channel.expiresAt()).isBetween(before.plus(MAX_CHANNEL_TTL), after.plus(MAX_CHANNEL_TTL))
                .isEqualTo(stored.expiration().truncatedTo(ChronoUnit.MILLIS));
        assertThat(stored.calendarId()).isEqualTo(OWNER);
        assertThat(stored.token()).isEqualTo("secret-token-1");
        assertThat(stored.address()).isEqualTo("http://127.0.0.1:1/webhooks/google-calendar");
        assertThat(control().calls("POST", "/events/watch$")).singleElement()
                .satisfies(call -> assertThat(call.body()).contains("\"ttl\":\"604800\"").contains("\"type\":\"web_hook\""));
    }

    @Test
    void aReusedChannelIdIsRejectedWithChannelIdNotUniqueAndNotRetried() {
        gateway.watch("primary", watchRequest("channel-once", "secret-token-2"));

        GoogleCalendarException.Rejected rejected = catchThrowableOfType(GoogleCalendarException.Rejected.class,
                () -> gateway.watch("primary", watchRequest("channel-once", "secret-token-3")));

        assertThat(rejected).isNotNull();
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.reason()).isEqualTo("channelIdNotUnique");
        assertThat(control().calls("POST", "/events/watch$")).extracting(ReceivedCall::status).containsExactly(200, 400);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aCalendarThatCannotBeWatchedIsRejectedWithPushNotSupported() {
        GoogleCalendarException.Rejected rejected = catchThrowableOfType(GoogleCalendarException.Rejected.class,
                () -> gateway.watch("en.usa#holiday@group.v.calendar.google.com",
                        watchRequest("channel-holidays", "secret-token-4")));

        assertThat(rejected).isNotNull();
        assertThat(rejected.reason()).isEqualTo("pushNotSupportedForRequestedResource");
    }

    @Test
    void watchOnACalendarGoogleDoesNotKnowIsNotFound() {
        control().failNext(1, CallMatcher.of("POST", "/events/watch$"), 404, "notFound");

        GoogleCalendarException.NotFound notFound = catchThrowableOfType(GoogleCalendarException.NotFound.class,
                () -> gateway.watch("gone@example.com", watchRequest("channel-nowhere", "secret-token-5")));

        assertThat(notFound).isNotNull();
        assertThat(control().channels()).isEmpty();
    }

    @Test
    void aWatchRetriedAfterA503NeverLogsTheChannelToken() {
        String token = "never-log-this-token-0123456789abcdef";
        LogCapture log = LogCapture.of("dev.pipedesk.google");
        try {
            control().failNext(1, CallMatcher.of("POST", "/events/watch$"), 503, "backendError");

            WatchedChannel channel = gateway.watch("primary", watchRequest("channel-retried", token));

            assertThat(channel.id()).isEqualTo("channel-retried");
        } finally {
            log.close();
        }
        assertThat(log.records()).isNotEmpty().allSatisfy(record -> {
            assertThat(record.getMessage()).doesNotContain(token);
            assertThat(record.getThrown()).isNull();
        });
    }

    @Test
    void stopEndsALiveChannelAndASecondStopIsNotFound() {
        WatchedChannel channel = gateway.watch("primary", watchRequest("channel-stopped", "secret-token-6"));

        gateway.stop(channel.id(), channel.resourceId());
        GoogleCalendarException.NotFound again = catchThrowableOfType(GoogleCalendarException.NotFound.class,
                () -> gateway.stop(channel.id(), channel.resourceId()));

        assertThat(control().channels()).singleElement().extracting(ChannelInfo::stopped).isEqualTo(true);
        assertThat(again).isNotNull();
        assertThat(again.status()).isEqualTo(404);
    }

    @Test
    void stopOfAnUnknownChannelIsNotFound() {
        GoogleCalendarException.NotFound notFound = catchThrowableOfType(GoogleCalendarException.NotFound.class,
                () -> gateway.stop("never-opened", "no-such-resource"));

        assertThat(notFound).isNotNull();
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(pauses).isEmpty();
    }
}
