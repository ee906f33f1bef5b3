package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class CalendarEventRepositoryTest {
    private static EmbeddedPostgres postgres;
    private static CalendarEventRepository repository;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DataSource dataSource = postgres.getPostgresDatabase();
        assertThat(Migrations.migrate(dataSource)).isPositive();
        repository = new CalendarEventRepository(dataSource);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    private static CalendarEvent event(String googleId, Instant start, EntityType type, String entityId) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new CalendarEvent(UUID.randomUUID().toString(), googleId, "primary", "Demo", "notes",
                start, start.plusSeconds(1800), null, ConferenceStatus.NONE, null, EventStatus.CONFIRMED,
                "owner@example.com", List.of(Attendee.invited("a@example.com")), type, entityId, "user-1",
                null, null, "\"1\"", now, now, now);
    }

    @Test
    void storeByGoogleIdTellsAnInsertFromARefreshOfAnExistingRow() {
        CalendarEvent event = event("storeflag1", Instant.parse("2030-02-01T10:00:00Z"), null, null);

        CalendarEventRepository.Stored first = Transactions.inTransaction(postgres.getPostgresDatabase(), c -> repository.storeByGoogleId(c, event));
        CalendarEventRepository.Stored second = Transactions.inTransaction(postgres.getPostgresDatabase(), c -> repository.storeByGoogleId(c, event));

        assertThat(first.inserted()).isTrue();
        assertThat(second.inserted()).isFalse();
        assertThat(second.row().id()).isEqualTo(first.row().id());
    }

    @Test
    void updateIfUnchangedWritesOnlyOverTheVersionItWasGiven() {
        CalendarEvent read = repository.upsertByGoogleId(event("versioned1", Instant.parse("2030-03-01T10:00:00Z"), null, null));
        CalendarEvent moved = withStart(read, Instant.parse("2030-03-01T12:00:00Z"), read.updatedAt().plusSeconds(1));
        CalendarEvent movedAgain = withStart(read, Instant.parse("2030-03-01T14:00:00Z"), read.updatedAt().plusSeconds(2));

        var first = Transactions.inTransaction(postgres.getPostgresDatabase(),
                c -> repository.updateIfUnchanged(c, moved, read.updatedAt()));
        var second = Transactions.inTransaction(postgres.getPostgresDatabase(),
                c -> repository.updateIfUnchanged(c, movedAgain, read.updatedAt()));

        assertThat(first).get().extracting(CalendarEvent::startTime).isEqualTo(Instant.parse("2030-03-01T12:00:00Z"));
        assertThat(second).isEmpty();
        assertThat(repository.findByIdOrGoogleId(read.id())).get().extracting(CalendarEvent::startTime)
                .isEqualTo(Instant.parse("2030-03-01T12:00:00Z"));
    }

    private static CalendarEvent withStart(CalendarEvent e, Instant start, Instant updatedAt) {
        return new CalendarEvent(e.id(), e.googleEventId(), e.calendarId(), e.summary(), e.description(), start,
                start.plusSeconds(3600), e.meetLink(), e.conferenceStatus(), e.htmlLink(), e.status(), e.organizerEmail(),
                e.attendees(), e.entityType(), e.entityId(), e.createdBy(), e.idempotencyKey(), e.requestHash(),
                e.googleEtag(), e.googleUpdatedAt(), e.createdAt(), updatedAt);
    }

    @Test
    void upsertByGoogleIdKeepsTheFirstRowIdentity() {
        CalendarEvent first = repository.upsertByGoogleId(event("upsertkeep1", Instant.parse("2030-01-01T10:00:00Z"), null, null));
        CalendarEvent again = event("upsertkeep1", Instant.parse("2030-01-01T11:00:00Z"), null, null);
        CalendarEvent stored = repository.upsertByGoogleId(again);

        assertThat(stored.id()).isEqualTo(first.id());
        assertThat(stored.startTime()).isEqualTo(Instant.parse("2030-01-01T11:00:00Z"));
        assertThat(repository.findByIdOrGoogleId("upsertkeep1")).get().extracting(CalendarEvent::id).isEqualTo(first.id());
        assertThat(repository.findByIdOrGoogleId(first.id())).get().extracting(CalendarEvent::attendees)
                .isEqualTo(List.of(Attendee.invited("a@example.com")));
    }

    @Test
    void listFiltersByEntityAndTimeWindowInStartOrder() {
        Instant base = Instant.parse("2031-05-01T09:00:00Z");
        repository.upsertByGoogleId(event("listfilter2", base.plusSeconds(7200), EntityType.DEAL, "d-42"));
        repository.upsertByGoogleId(event("listfilter1", base, EntityType.DEAL, "d-42"));
        repository.upsertByGoogleId(event("listfilter3", base, EntityType.LEAD, "l-1"));

        EventPage page = repository.list(new EventQuery(base.minusSeconds(1), base.plusSeconds(86400), null,
                EntityType.DEAL, "d-42", null, 10, 0, false));

        assertThat(page.total()).isEqualTo(2);
        assertThat(page.items()).extracting(CalendarEvent::googleEventId).containsExactly("listfilter1", "listfilter2");
    }
}
