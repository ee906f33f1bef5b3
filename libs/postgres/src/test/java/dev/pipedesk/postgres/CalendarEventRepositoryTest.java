package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("integration")
class CalendarEventRepositoryTest {
    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase();
    private static CalendarEventRepository repository;

    @BeforeAll
    static void repository() {
        assertThat(database.migrationsApplied()).isPositive();
        repository = new CalendarEventRepository(database.dataSource());
    }

    /** A transaction of its own on the test database. */
    private static <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.inTransaction(database.dataSource(), work);
    }

    private static CalendarEvent event(String googleId, Instant start, EntityType type, String entityId) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new CalendarEvent(UUID.randomUUID().toString(), googleId, "primary", "Demo", "notes",
                start, start.plusSeconds(1800), null, ConferenceStatus.NONE, null, EventStatus.CONFIRMED,
                "owner@example.com", List.of(Attendee.invited("a@example.com")), type, entityId, "user-1",
                null, null, "\"1\"", now, now, now);
    }

    /** Stores the event in a transaction of its own, as the calendar service does. */
    private static CalendarEventRepository.Stored store(CalendarEvent event) {
        return inTransaction(c -> repository.storeByGoogleId(c, event));
    }

    @Test
    void storeByGoogleIdTellsAnInsertFromARefreshOfAnExistingRow() {
        CalendarEvent event = event("storeflag1", Instant.parse("2030-02-01T10:00:00Z"), null, null);

        CalendarEventRepository.Stored first = store(event);
        CalendarEventRepository.Stored second = store(event);

        assertThat(first.inserted()).isTrue();
        assertThat(second.inserted()).isFalse();
        assertThat(second.row().id()).isEqualTo(first.row().id());
    }

    @Test
    void updateIfUnchangedWritesOnlyOverTheVersionItWasGiven() {
        CalendarEvent read = store(event("versioned1", Instant.parse("2030-03-01T10:00:00Z"), null, null)).row();
        CalendarEvent moved = withStart(read, Instant.parse("2030-03-01T12:00:00Z"), read.updatedAt().plusSeconds(1));
        CalendarEvent movedAgain = withStart(read, Instant.parse("2030-03-01T14:00:00Z"), read.updatedAt().plusSeconds(2));

        var first = inTransaction(c -> repository.updateIfUnchanged(c, moved, read.updatedAt()));
        var second = inTransaction(c -> repository.updateIfUnchanged(c, movedAgain, read.updatedAt()));

        assertThat(first).get().extracting(CalendarEvent::startTime).isEqualTo(Instant.parse("2030-03-01T12:00:00Z"));
        assertThat(second).isEmpty();
        assertThat(repository.findByIdOrGoogleId(read.id())).get().extracting(CalendarEvent::startTime)
                .isEqualTo(Instant.parse("2030-03-01T12:00:00Z"));
    }

    @Test
    void updateIfUnchangedClearsTheOptionalFieldsTheEventNoLongerHas() {
        CalendarEvent read = store(event("clearing1", Instant.parse("2030-04-01T10:00:00Z"), EntityType.DEAL, "d-7")).row();
        CalendarEvent cleared = new CalendarEvent(read.id(), read.googleEventId(), read.calendarId(), read.summary(), null,
                read.startTime(), read.endTime(), null, read.conferenceStatus(), null, read.status(), null, List.of(),
                null, null, read.createdBy(), read.idempotencyKey(), read.requestHash(), null, null, read.createdAt(),
                read.updatedAt().plusSeconds(1));

        inTransaction(c -> repository.updateIfUnchanged(c, cleared, read.updatedAt()));

        assertThat(repository.findByIdOrGoogleId(read.id())).get().satisfies(row -> {
            assertThat(row.description()).isNull();
            assertThat(row.entityType()).isNull();
            assertThat(row.entityId()).isNull();
            assertThat(row.googleEtag()).isNull();
            assertThat(row.googleUpdatedAt()).isNull();
            assertThat(row.attendees()).isEmpty();
            assertThat(row.updatedAt()).isEqualTo(read.updatedAt().plusSeconds(1));
        });
    }

    private static CalendarEvent withStart(CalendarEvent e, Instant start, Instant updatedAt) {
        return new CalendarEvent(e.id(), e.googleEventId(), e.calendarId(), e.summary(), e.description(), start,
                start.plusSeconds(3600), e.meetLink(), e.conferenceStatus(), e.htmlLink(), e.status(), e.organizerEmail(),
                e.attendees(), e.entityType(), e.entityId(), e.createdBy(), e.idempotencyKey(), e.requestHash(),
                e.googleEtag(), e.googleUpdatedAt(), e.createdAt(), updatedAt);
    }

    @Test
    void storeByGoogleIdRefreshesTheRowOfTheSameGoogleEventKeepingItsIdentity() {
        CalendarEvent first = store(event("upsertkeep1", Instant.parse("2030-01-01T10:00:00Z"), null, null)).row();
        CalendarEvent again = event("upsertkeep1", Instant.parse("2030-01-01T11:00:00Z"), null, null);
        CalendarEvent stored = store(again).row();

        assertThat(stored.id()).isEqualTo(first.id());
        assertThat(stored.startTime()).isEqualTo(Instant.parse("2030-01-01T11:00:00Z"));
        assertThat(repository.findByIdOrGoogleId("upsertkeep1")).get().extracting(CalendarEvent::id).isEqualTo(first.id());
        assertThat(repository.findByIdOrGoogleId(first.id())).get().extracting(CalendarEvent::attendees)
                .isEqualTo(List.of(Attendee.invited("a@example.com")));
    }

    @Test
    void listFiltersByEntityAndTimeWindowInStartOrder() {
        Instant base = Instant.parse("2031-05-01T09:00:00Z");
        store(event("listfilter2", base.plusSeconds(7200), EntityType.DEAL, "d-42"));
        store(event("listfilter1", base, EntityType.DEAL, "d-42"));
        store(event("listfilter3", base, EntityType.LEAD, "l-1"));

        EventPage page = repository.list(new EventQuery(base.minusSeconds(1), base.plusSeconds(86400), null,
                EntityType.DEAL, "d-42", null, 10, 0, false));

        assertThat(page.total()).isEqualTo(2);
        assertThat(page.items()).extracting(CalendarEvent::googleEventId).containsExactly("listfilter1", "listfilter2");
    }

    private static CalendarEvent attendedBy(String googleId, Instant start, String... emails) {
        CalendarEvent e = event(googleId, start, EntityType.LEAD, "l-attendees");
        return new CalendarEvent(e.id(), e.googleEventId(), e.calendarId(), e.summary(), e.description(), e.startTime(),
                e.endTime(), e.meetLink(), e.conferenceStatus(), e.htmlLink(), e.status(), e.organizerEmail(),
                java.util.Arrays.stream(emails).map(Attendee::invited).toList(), e.entityType(), e.entityId(),
                e.createdBy(), e.idempotencyKey(), e.requestHash(), e.googleEtag(), e.googleUpdatedAt(), e.createdAt(),
                e.updatedAt());
    }

    @Test
    void anAttendeeListingHoldsOnlyTheMeetingsThatAddressAttendsIgnoringCase() {
        Instant base = Instant.parse("2032-06-01T09:00:00Z");
        store(attendedBy("attends1", base, "Client@Example.com", "sales@pipedesk.test"));
        store(attendedBy("attends2", base.plusSeconds(7200), "client@example.com"));
        store(attendedBy("attends3", base.plusSeconds(3600), "other@example.com"));
        store(attendedBy("attends4", base.plusSeconds(5400)));
        EventQuery everyone = new EventQuery(null, null, null, EntityType.LEAD, "l-attendees", null, 10, 0, false);

        EventPage client = repository.list(everyone.attendedBy("CLIENT@example.COM"));
        EventPage nobody = repository.list(everyone.attendedBy("client@example"));

        assertThat(repository.list(everyone).total()).isEqualTo(4);
        assertThat(client.total()).isEqualTo(2);
        assertThat(client.items()).extracting(CalendarEvent::googleEventId).containsExactly("attends1", "attends2");
        assertThat(nobody.total()).isZero();
        assertThat(nobody.items()).isEmpty();
    }
}
