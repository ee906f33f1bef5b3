package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.core.calendar.MeetingAudit;
import dev.pipedesk.postgres.AuditLogEntry;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.Jdbc;
import dev.pipedesk.postgres.NewAuditLogEntry;
import dev.pipedesk.postgres.TimelineEntry;
import dev.pipedesk.postgres.TimelinePage;
import dev.pipedesk.postgres.TimelineQuery;
import dev.pipedesk.postgres.TimelineRepository;
import dev.pipedesk.postgres.TimelineSource;
import dev.pipedesk.postgres.Transactions;
import dev.pipedesk.testing.TestDatabase;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Summaries of audit rows the real producers wrote, read back from the real audit log: lead and
 * deal writes captured by the V3 trigger (embedded PostgreSQL), and meeting events as the calendar
 * function and the sync build them, each stored as the audit writer stores it and listed by the
 * repository the timeline reads with (jsonb reorders the keys on the way; the summaries read
 * single fields of the stored text, in that order).
 */
@Tag("integration")
class AuditSummaryCaptureTest {
    private static DataSource db;
    private static AuditLogRepository auditLog;

    @BeforeAll
    static void database() {
        db = TestDatabase.shared().dataSource();
        auditLog = new AuditLogRepository(db);
    }

    /** One write as {@code actor} (null: no pipedesk.actor, so the database role is the actor). */
    private static void write(String actor, String sql, Object... parameters) {
        Transactions.inTransaction(db, connection -> {
            if (actor != null) {
                Jdbc.list(connection, "select set_config('pipedesk.actor', ?, true)", List.of(actor), row -> row.getString(1));
            }
            return Jdbc.update(connection, sql, List.of(parameters));
        });
    }

    /** The outbox's events of the entity, stored in the audit log as the audit writer does (and taken out of the outbox). */
    private static void deliver(String entityId) {
        List<String> payloads = Transactions.inTransaction(db, connection -> {
            List<String> rows = Jdbc.list(connection,
                    "select payload::text from audit_outbox where payload ->> 'entity_id' = ? order by id",
                    List.of(entityId), row -> row.getString(1));
            Jdbc.update(connection, "delete from audit_outbox where payload ->> 'entity_id' = ?", List.of(entityId));
            return rows;
        });
        auditLog.append(payloads.stream().map(payload -> NewAuditLogEntry.fromEvent(Json.MAPPER.readTree(payload))).toList());
    }

    /** The audit entries of the entity's timeline, read as the timeline reads them (JSON columns kept as stored text). */
    private static List<AuditLogEntry> timelineOf(String entityType, String entityId) {
        TimelinePage page = new TimelineRepository(db).page(new TimelineQuery(EntityType.parse(entityType).orElseThrow(),
                entityId, EnumSet.of(TimelineSource.AUDIT), null, null, 50, null, 0, null));
        return page.entries().stream().map(entry -> ((TimelineEntry.Audit) entry).entry()).toList();
    }

    private static List<String> summaries(List<AuditLogEntry> entries) {
        return entries.stream().map(entry -> TimelineEntries.ofAudit(entry).summary()).toList();
    }

    @Test
    void leadWritesCapturedByTheDatabaseReadAsTheirSummariesNewestFirst() {
        String id = UUID.randomUUID().toString();
        write("u-1", "insert into leads (id, name, email, status, value) values (?::uuid, 'Ada Lovelace', 'ada@x.example', 'new', 1500.50)", id);
        write("u-1", "update leads set value = 2500.75, owner_id = 'u-2', email = null, updated_at = now() where id = ?::uuid", id);
        write("u-2", "update leads set status = 'qualified', notes = 'Call back' where id = ?::uuid", id);
        write(null, "delete from leads where id = ?::uuid", id);
        deliver(id);

        List<AuditLogEntry> entries = timelineOf("lead", id);

        assertThat(summaries(entries)).containsExactly(
                "Lead deleted: Ada Lovelace",
                "Status changed: new → qualified (also updated: notes)",
                "Updated: email, owner_id, value",
                "Lead created: Ada Lovelace");
        assertThat(entries).extracting(entry -> TimelineEntries.ofAudit(entry).user().id())
                .containsExactly("system:db:postgres", "u-2", "u-1", "u-1");
        assertThat(TimelineEntries.ofAudit(entries.get(1)).detailsJson().get("changes"))
                .isEqualTo(Json.MAPPER.readTree("""
                        {"status": {"old": "new", "new": "qualified"}, "notes": {"old": null, "new": "Call back"}}"""));
    }

    @Test
    void dealStageChangesCapturedByTheDatabaseSayStageChanged() {
        String id = UUID.randomUUID().toString();
        write("u-1", "insert into deals (id, title, amount) values (?::uuid, 'Engines for the Navy', 250000)", id);
        write("u-1", "update deals set stage = 'proposal' where id = ?::uuid", id);
        write("u-1", "update deals set stage = 'won', amount = 300000 where id = ?::uuid", id);
        write("u-1", "update deals set expected_close_date = date '2026-09-30', currency = 'EUR' where id = ?::uuid", id);
        deliver(id);

        List<AuditLogEntry> entries = timelineOf("deal", id);
        assertThat(summaries(entries)).containsExactly(
                "Updated: currency, expected_close_date",
                "Stage changed: proposal → won (also updated: amount)",
                "Stage changed: qualification → proposal",
                "Deal created: Engines for the Navy");
        // The stored JSON goes out as PostgreSQL gives it, byte for byte (jsonb's spacing and numbers;
        // a parsed tree was written in Jackson's), on the timeline and in the audit log alike.
        String stored = Transactions.inTransaction(db, connection -> Jdbc.list(connection,
                "select changes::text from audit_logs where id = ?", List.of(entries.get(1).id()), row -> row.getString(1)))
                .getFirst();
        assertThat(stored).contains("\"amount\": {\"new\": 300000.0, \"old\": 250000.0}");
        assertThat(Json.write(TimelineEntries.ofAudit(entries.get(1)).details())).contains("\"changes\":" + stored);
        assertThat(Json.write(AuditLogView.of(entries.get(1)))).contains("\"changes\":" + stored);
    }

    @Test
    void meetingEventsStoredAndReadBackKeepTheirSummaries() {
        String deal = UUID.randomUUID().toString();
        CalendarEvent created = new CalendarEvent(UUID.randomUUID().toString(), "g-" + UUID.randomUUID(), "sales@pipedesk.dev",
                "Kickoff", "Agenda", Meetings.START, Meetings.END, null, Meetings.kickoff().conferenceStatus(), null,
                EventStatus.CONFIRMED, "sales@pipedesk.dev", Meetings.kickoff().attendees(), EntityType.DEAL, deal, "u-1",
                null, null, "\"e1\"", null, Meetings.CREATED, Meetings.CREATED);
        CalendarEvent moved = Meetings.timed(created, Instant.parse("2026-06-03T09:30:00Z"), Instant.parse("2026-06-03T10:30:00Z"));
        CalendarEvent cancelled = Meetings.withStatus(moved, EventStatus.CANCELLED);
        auditLog.append(List.of(
                stored(MeetingAudit.created("create", created, AuditRows.USER, "calendar", AuditRows.REQUEST, Instant.parse("2026-05-20T09:00:00Z"))),
                stored(MeetingAudit.changed("sync_update", created, moved, AuditRows.GOOGLE, "google_sync", AuditRows.NO_REQUEST,
                        Instant.parse("2026-05-21T09:00:00Z"))),
                stored(MeetingAudit.changed("cancel", moved, cancelled, AuditRows.USER, "calendar", AuditRows.REQUEST,
                        Instant.parse("2026-05-22T09:00:00Z")))));

        // The meeting's audit entries, on the timeline of the deal it is linked to.
        List<AuditLogEntry> entries = timelineOf("deal", deal);

        assertThat(summaries(entries)).containsExactly(
                "Meeting \"Kickoff\" cancelled",
                "Meeting \"Kickoff\" moved to 3 Jun 2026 09:30 UTC in Google Calendar",
                "Meeting \"Kickoff\" scheduled for 2 Jun 2026 15:00 UTC");
        assertThat(TimelineEntries.ofAudit(entries.get(1)).user())
                .isEqualTo(new TimelineEntryView.User(MeetingAudit.GOOGLE_SYNC_ACTOR, null));
        assertThat(Json.write(TimelineEntries.ofAudit(entries.getFirst()))).doesNotContain(AuditRows.REQUEST.ip());
    }

    private static NewAuditLogEntry stored(dev.pipedesk.core.audit.AuditEvent event) {
        return NewAuditLogEntry.fromEvent(Json.MAPPER.valueToTree(event));
    }
}
