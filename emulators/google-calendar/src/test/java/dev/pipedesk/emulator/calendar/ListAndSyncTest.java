package dev.pipedesk.emulator.calendar;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("integration")
class ListAndSyncTest extends EmulatorTestSupport {

    /** A full or incremental sync as Google's sample does it: follow pages until nextSyncToken. */
    private record SyncResult(List<Events> pages, List<Event> items, String nextSyncToken) {
    }

    private static SyncResult sync(String syncToken, Integer maxResults) throws IOException {
        List<Events> pages = new ArrayList<>();
        List<Event> items = new ArrayList<>();
        String pageToken = null;
        while (true) {
            Calendar.Events.List list = calendar.events().list("primary").setSyncToken(syncToken).setPageToken(pageToken);
            if (maxResults != null) {
                list.setMaxResults(maxResults);
            }
            Events page = list.execute();
            pages.add(page);
            items.addAll(page.getItems());
            if (page.getNextPageToken() == null) {
                return new SyncResult(pages, items, page.getNextSyncToken());
            }
            pageToken = page.getNextPageToken();
        }
    }

    private static List<Event> insertMeetings(int count) throws IOException {
        List<Event> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            created.add(insert(meeting("Meeting " + i, BASE.plus(Duration.ofHours(i)), Duration.ofMinutes(30))));
        }
        return created;
    }

    @Test
    void listHasGooglesEnvelope() throws Exception {
        insertMeetings(1);

        Events page = calendar.events().list("primary").execute();

        assertThat(page.getKind()).isEqualTo("calendar#events");
        assertThat(page.getEtag()).isNotBlank();
        assertThat(page.getSummary()).isEqualTo(SERVICE_ACCOUNT);
        assertThat(page.getUpdated()).isNotNull();
        assertThat(page.getTimeZone()).isEqualTo("UTC");
        assertThat(page.getAccessRole()).isEqualTo("owner");
        assertThat(page.getDefaultReminders()).isNotEmpty();
        assertThat(page.getItems()).hasSize(1);
    }

    @Test
    void syncTokenComesOnlyOnTheLastPage() throws Exception {
        List<Event> created = insertMeetings(5);

        SyncResult full = sync(null, 2);

        assertThat(full.pages()).hasSize(3);
        for (Events page : full.pages().subList(0, 2)) {
            assertThat(page.getNextPageToken()).isNotNull();
            assertThat(page.getNextSyncToken()).isNull();
        }
        assertThat(full.pages().getLast().getNextPageToken()).isNull();
        assertThat(full.nextSyncToken()).isNotNull();
        assertThat(full.items()).extracting(Event::getId)
                .containsExactlyElementsOf(created.stream().map(Event::getId).toList());
    }

    @Test
    void incrementalSyncReturnsEveryChangeIncludingCancellations() throws Exception {
        List<Event> created = insertMeetings(3);
        SyncResult full = sync(null, null);
        calendar.events().patch("primary", created.get(0).getId(), new Event().setSummary("Renamed")).execute();
        calendar.events().delete("primary", created.get(1).getId()).execute();
        Event added = insert(meeting("New one"));

        SyncResult incremental = sync(full.nextSyncToken(), null);
        SyncResult quiet = sync(incremental.nextSyncToken(), null);

        assertThat(incremental.items()).extracting(Event::getId, Event::getStatus).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(created.get(0).getId(), "confirmed"),
                org.assertj.core.groups.Tuple.tuple(created.get(1).getId(), "cancelled"),
                org.assertj.core.groups.Tuple.tuple(added.getId(), "confirmed"));
        assertThat(quiet.items()).isEmpty();
        assertThat(quiet.nextSyncToken()).isNotNull();
    }

    @Test
    void cancelledEventsAppearInFullListsOnlyWithShowDeleted() throws Exception {
        List<Event> created = insertMeetings(2);
        calendar.events().delete("primary", created.get(0).getId()).execute();

        List<Event> plain = calendar.events().list("primary").execute().getItems();
        List<Event> withDeleted = calendar.events().list("primary").setShowDeleted(true).execute().getItems();

        assertThat(plain).extracting(Event::getId).containsExactly(created.get(1).getId());
        assertThat(withDeleted).extracting(Event::getStatus).containsExactly("cancelled", "confirmed");
    }

    @Test
    void syncTokenWithAForbiddenParameterIsBadRequest() throws Exception {
        String token = sync(null, null).nextSyncToken();

        GoogleJsonResponseException error = googleError(() -> calendar.events().list("primary")
                .setSyncToken(token).setTimeMin(new DateTime(BASE.toEpochMilli())).execute());

        assertThat(error.getStatusCode()).isEqualTo(400);
        assertThat(firstError(error).getLocation()).isEqualTo("timeMin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"iCalUID", "orderBy", "privateExtendedProperty", "q", "sharedExtendedProperty", "timeMin",
            "timeMax", "updatedMin"})
    void everyParameterGoogleForbidsWithASyncTokenIsInvalid(String parameter) throws Exception {
        String token = sync(null, null).nextSyncToken();
        Calendar.Events.List list = calendar.events().list("primary").setSyncToken(token);
        DateTime at = new DateTime(BASE.toEpochMilli());
        switch (parameter) {
            case "iCalUID" -> list.setICalUID("x@google.com");
            case "orderBy" -> list.setOrderBy("updated");
            case "privateExtendedProperty" -> list.setPrivateExtendedProperty(List.of("k=v"));
            case "q" -> list.setQ("demo");
            case "sharedExtendedProperty" -> list.setSharedExtendedProperty(List.of("k=v"));
            case "timeMin" -> list.setTimeMin(at);
            case "timeMax" -> list.setTimeMax(at);
            case "updatedMin" -> list.setUpdatedMin(at);
            default -> throw new IllegalArgumentException(parameter);
        }

        GoogleJsonResponseException error = googleError(list::execute);

        assertThat(error.getStatusCode()).isEqualTo(400);
        assertThat(firstError(error).getReason()).isEqualTo("invalid");
        assertThat(firstError(error).getLocation()).isEqualTo(parameter);
    }

    @Test
    void showDeletedFalseWithASyncTokenIsInvalid() throws Exception {
        String token = sync(null, null).nextSyncToken();

        GoogleJsonResponseException error = googleError(() -> calendar.events().list("primary")
                .setSyncToken(token).setShowDeleted(false).execute());

        assertThat(error.getStatusCode()).isEqualTo(400);
        assertThat(firstError(error).getReason()).isEqualTo("invalid");
        assertThat(firstError(error).getLocation()).isEqualTo("showDeleted");
    }

    @Test
    void invalidatedSyncTokenIsGone() throws Exception {
        insertMeetings(1);
        String token = sync(null, null).nextSyncToken();
        assertThat(control().invalidateSyncToken(token)).isTrue();

        GoogleJsonResponseException error = googleError(() -> sync(token, null));

        assertThat(error.getStatusCode()).isEqualTo(410);
        assertThat(firstError(error).getReason()).isEqualTo("fullSyncRequired");
        assertThat(firstError(error).getDomain()).isEqualTo("calendar");
        assertThat(sync(null, null).items()).hasSize(1);
    }

    @Test
    void invalidatingACalendarsTokensKillsAnIncrementalSyncMidPagination() throws Exception {
        String token = sync(null, null).nextSyncToken();
        insertMeetings(3);
        Events firstPage = calendar.events().list("primary").setSyncToken(token).setMaxResults(1).execute();
        assertThat(firstPage.getNextPageToken()).isNotNull();

        control().invalidateSyncTokens("primary");
        GoogleJsonResponseException error = googleError(() -> calendar.events().list("primary")
                .setSyncToken(token).setMaxResults(1).setPageToken(firstPage.getNextPageToken()).execute());

        assertThat(error.getStatusCode()).isEqualTo(410);
        assertThat(firstError(error).getReason()).isEqualTo("fullSyncRequired");
    }

    @Test
    void tokensIssuedBeforeAnInstantCanBeInvalidated() throws Exception {
        String oldToken = sync(null, null).nextSyncToken();
        // Tokens carry their issue time in whole milliseconds: the cut is the next millisecond, and
        // the new token is issued once the clock has reached it.
        Instant cut = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        await("the clock reaches the cut").atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1)).until(() -> !Instant.now().isBefore(cut));
        String newToken = sync(null, null).nextSyncToken();

        control().invalidateSyncTokensIssuedBefore(cut);

        assertThat(googleError(() -> sync(oldToken, null)).getStatusCode()).isEqualTo(410);
        assertThat(sync(newToken, null).items()).isEmpty();
    }

    @Test
    void aSyncTokenOfAnotherCalendarIsGone() throws Exception {
        String token = sync(null, null).nextSyncToken();

        GoogleJsonResponseException error = googleError(() ->
                calendar.events().list("other@acme.test").setSyncToken(token).execute());

        assertThat(error.getStatusCode()).isEqualTo(410);
    }

    @Test
    void changesDuringPaginationAreLeftForTheNextSync() throws Exception {
        List<Event> created = insertMeetings(4);
        Events first = calendar.events().list("primary").setMaxResults(2).execute();
        calendar.events().patch("primary", created.get(0).getId(), new Event().setSummary("Changed mid-way")).execute();
        calendar.events().patch("primary", created.get(3).getId(), new Event().setSummary("Changed too")).execute();
        Event late = insert(meeting("Late"));

        Events second = calendar.events().list("primary").setMaxResults(2).setPageToken(first.getNextPageToken()).execute();
        SyncResult next = sync(second.getNextSyncToken(), null);

        assertThat(first.getItems()).extracting(Event::getId).containsExactly(created.get(0).getId(), created.get(1).getId());
        assertThat(second.getItems()).extracting(Event::getId).containsExactly(created.get(2).getId());
        assertThat(next.items()).extracting(Event::getId)
                .containsExactlyInAnyOrder(created.get(0).getId(), created.get(3).getId(), late.getId());
    }

    @Test
    void timeWindowBoundsEndByTimeMinAndStartByTimeMax() throws Exception {
        insert(meeting("Ends at ten", BASE.minus(Duration.ofHours(1)), Duration.ofHours(1)));
        Event overlapping = insert(meeting("Overlaps", BASE.minus(Duration.ofMinutes(30)), Duration.ofHours(1)));
        Event inside = insert(meeting("Inside", BASE.plus(Duration.ofHours(1)), Duration.ofHours(1)));
        insert(meeting("Starts at noon", BASE.plus(Duration.ofHours(2)), Duration.ofHours(1)));

        List<Event> window = calendar.events().list("primary")
                .setTimeMin(new DateTime(BASE.toEpochMilli()))
                .setTimeMax(new DateTime(BASE.plus(Duration.ofHours(2)).toEpochMilli()))
                .execute().getItems();

        assertThat(window).extracting(Event::getId).containsExactly(overlapping.getId(), inside.getId());
    }

    @Test
    void anEmptyTimeRangeIsBadRequest() {
        GoogleJsonResponseException error = googleError(() -> calendar.events().list("primary")
                .setTimeMin(new DateTime(BASE.toEpochMilli()))
                .setTimeMax(new DateTime(BASE.toEpochMilli()))
                .execute());

        assertThat(error.getStatusCode()).isEqualTo(400);
        assertThat(firstError(error).getReason()).isEqualTo("timeRangeEmpty");
        assertThat(firstError(error).getLocation()).isEqualTo("timeMax");
    }

    @Test
    void filtersByPrivateExtendedProperty() throws Exception {
        Event stamped = insert(meeting("Ours").setExtendedProperties(new Event.ExtendedProperties()
                .setPrivate(Map.of("pipedeskActivityId", "act-42"))));
        insert(meeting("Theirs"));

        List<Event> found = calendar.events().list("primary")
                .setPrivateExtendedProperty(List.of("pipedeskActivityId=act-42")).execute().getItems();

        assertThat(found).extracting(Event::getId).containsExactly(stamped.getId());
    }

    @Test
    void ordersByStartTimeOnlyForSingleEvents() throws Exception {
        Event late = insert(meeting("Late", BASE.plus(Duration.ofHours(5)), Duration.ofHours(1)));
        Event early = insert(meeting("Early", BASE, Duration.ofHours(1)));

        List<Event> ordered = calendar.events().list("primary").setSingleEvents(true).setOrderBy("startTime")
                .execute().getItems();
        GoogleJsonResponseException error = googleError(() ->
                calendar.events().list("primary").setOrderBy("startTime").execute());

        assertThat(ordered).extracting(Event::getId).containsExactly(early.getId(), late.getId());
        assertThat(error.getStatusCode()).isEqualTo(400);
    }

    @Test
    void ordersByUpdated() throws Exception {
        List<Event> created = insertMeetings(2);
        calendar.events().patch("primary", created.get(0).getId(), new Event().setSummary("Touched")).execute();

        List<Event> ordered = calendar.events().list("primary").setOrderBy("updated").execute().getItems();

        assertThat(ordered).extracting(Event::getId).containsExactly(created.get(1).getId(), created.get(0).getId());
    }

    @Test
    void emptyPagesStillCarryANextPageToken() throws Exception {
        insertMeetings(3);
        control().injectEmptyPages(1);

        SyncResult result = sync(null, 2);

        assertThat(result.pages().getFirst().getItems()).isEmpty();
        assertThat(result.pages().getFirst().getNextPageToken()).isNotNull();
        assertThat(result.items()).hasSize(3);
        assertThat(result.nextSyncToken()).isNotNull();
    }

    @Test
    void aPageTokenOfAnotherQueryIsBadRequest() throws Exception {
        insertMeetings(3);
        Events first = calendar.events().list("primary").setMaxResults(1).execute();

        GoogleJsonResponseException error = googleError(() -> calendar.events().list("primary")
                .setMaxResults(1).setShowDeleted(true).setPageToken(first.getNextPageToken()).execute());

        assertThat(error.getStatusCode()).isEqualTo(400);
    }

    @Test
    void minimalTombstonesCarryOnlyTheId() throws Exception {
        List<Event> created = insertMeetings(1);
        String token = sync(null, null).nextSyncToken();
        calendar.events().delete("primary", created.getFirst().getId()).execute();
        control().minimalTombstones(true);

        Event tombstone = sync(token, null).items().getFirst();

        assertThat(tombstone.getId()).isEqualTo(created.getFirst().getId());
        assertThat(tombstone.getStatus()).isEqualTo("cancelled");
        assertThat(tombstone.getSummary()).isNull();
        assertThat(tombstone.getStart()).isNull();
    }
}
