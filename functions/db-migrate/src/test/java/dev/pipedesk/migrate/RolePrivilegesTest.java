package dev.pipedesk.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.OutboxMessage;
import dev.pipedesk.audit.OutboxRelay;
import dev.pipedesk.audit.RelayResult;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.core.email.EmailDirection;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.postgres.AuditLogQuery;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.CalendarEventRepository;
import dev.pipedesk.postgres.EmailQuery;
import dev.pipedesk.postgres.EmailRepository;
import dev.pipedesk.postgres.EventQuery;
import dev.pipedesk.postgres.NewAuditLogEntry;
import dev.pipedesk.postgres.TimelineQuery;
import dev.pipedesk.postgres.TimelineRepository;
import dev.pipedesk.postgres.Transactions;
import dev.pipedesk.sync.CalendarIds;
import dev.pipedesk.sync.ChannelManager;
import dev.pipedesk.sync.SkippedEvent;
import dev.pipedesk.sync.SyncSettings;
import dev.pipedesk.sync.SyncStateRepository;
import dev.pipedesk.sync.SyncStatus;
import dev.pipedesk.sync.WatchChannelRepository;
import dev.pipedesk.sync.testing.InMemoryGoogleFeed;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The grants of the migrations, proven with the real repositories and services each function
 * runs, connected as the login the migration function made for the function's group role (on a
 * PostgreSQL that checks passwords): {@code pipedesk_app} can do everything calendar, webhook,
 * calendar-sync and channel-renewal do, and nothing else; the audit-writer's login can only insert
 * audit entries; the timeline's login can only read.
 */
@Tag("integration")
class RolePrivilegesTest {
    private static final String OWNER = "owner@pipedesk.example";
    private static final Instant START = Instant.parse("2031-05-05T09:00:00Z");
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private static DeploymentDatabase deployment;
    private static HikariDataSource app;
    private static HikariDataSource auditWriter;
    private static HikariDataSource timelineReader;

    @BeforeAll
    static void migrate() {
        deployment = new DeploymentDatabase();
        deployment.migrate();
        app = deployment.pool(GroupRole.PIPEDESK_APP);
        auditWriter = deployment.pool(GroupRole.PIPEDESK_AUDIT_WRITER);
        timelineReader = deployment.pool(GroupRole.PIPEDESK_TIMELINE_READER);
    }

    @AfterAll
    static void stop() {
        app.close();
        auditWriter.close();
        timelineReader.close();
        deployment.close();
    }

    private static CalendarEvent meeting(String calendarId, String googleId, String leadId) {
        Instant start = START.plus(Duration.ofDays(1));
        return new CalendarEvent(UUID.randomUUID().toString(), googleId, calendarId, "Demo", "notes", start,
                start.plusSeconds(1800), null, ConferenceStatus.NONE, null, EventStatus.CONFIRMED, OWNER,
                List.of(Attendee.invited("a@example.com")), EntityType.LEAD, leadId, "user-1", null, null, "\"1\"",
                START, START, START);
    }

    private static AuditEvent auditEvent(String entityId) {
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), "calendar_event", entityId, "create",
                AuditEvent.Actor.user("user-1"), START, null, Json.MAPPER.readTree("{\"summary\":\"Demo\"}"), null, "api",
                null, null, null);
    }

    // --- pipedesk_app: calendar, webhook, calendar-sync, channel-renewal ----------------------------

    @Test
    void theAppLoginWritesMeetingsAndTheirAuditAsTheCalendarFunctionDoes() {
        CalendarEventRepository meetings = new CalendarEventRepository(app);
        CalendarEvent meeting = meeting(OWNER, "gpriv1", "lead-1");

        CalendarEventRepository.Stored stored = Transactions.inTransaction(app, connection -> {
            CalendarEventRepository.Stored row = meetings.storeByGoogleId(connection, meeting);
            AuditOutbox.append(connection, auditEvent(meeting.id()));
            return row;
        });
        assertThat(stored.inserted()).isTrue();

        CalendarEvent renamed = Transactions.inTransaction(app, connection -> {
            CalendarEvent locked = meetings.lockByGoogleId(connection, OWNER, "gpriv1").orElseThrow();
            return meetings.updateIfUnchanged(connection, new CalendarEvent(locked.id(), locked.googleEventId(),
                    locked.calendarId(), "Renamed", locked.description(), locked.startTime(), locked.endTime(),
                    locked.meetLink(), locked.conferenceStatus(), locked.htmlLink(), locked.status(),
                    locked.organizerEmail(), locked.attendees(), locked.entityType(), locked.entityId(),
                    locked.createdBy(), locked.idempotencyKey(), locked.requestHash(), locked.googleEtag(),
                    locked.googleUpdatedAt(), locked.createdAt(), locked.updatedAt().plusSeconds(1)), locked.updatedAt())
                    .orElseThrow();
        });
        assertThat(renamed.summary()).isEqualTo("Renamed");
        assertThat(meetings.list(new EventQuery(null, null, null, EntityType.LEAD, "lead-1", null, 10, 0, false)).items())
                .extracting(CalendarEvent::summary).containsExactly("Renamed");
    }

    @Test
    void theAppLoginLogsAndUnlinksEmails() {
        EmailRepository emails = new EmailRepository(app);
        CrmEmail email = new CrmEmail(UUID.randomUUID().toString(), "<priv-" + UUID.randomUUID() + "@example.com>",
                "thread-1", EmailDirection.INBOUND, "ana@example.com", List.of("bo@example.com"), List.of(), "Proposal",
                "Please find attached", START, EntityType.DEAL, "deal-priv", "user-1", START.plusSeconds(60), null, null);

        Transactions.inTransaction(app, connection -> {
            emails.log(connection, email);
            AuditOutbox.append(connection, auditEvent(email.id()));
            return null;
        });
        assertThat(emails.list(new EmailQuery(EntityType.DEAL, "deal-priv", null, 10)).items()).hasSize(1);

        Transactions.inTransaction(app, connection -> emails.unlink(connection, email.id(), "user-1", START.plusSeconds(120)));
        assertThat(emails.list(new EmailQuery(EntityType.DEAL, "deal-priv", null, 10)).items()).isEmpty();
    }

    @Test
    void theAppLoginRelaysTheAuditOutboxAsChannelRenewalDoes() {
        Transactions.inTransaction(app, connection -> {
            AuditOutbox.append(connection, auditEvent("relayed-1"));
            AuditOutbox.append(connection, auditEvent("relayed-2"));
            return null;
        });
        TestClock clock = TestClock.aheadOfTheDatabase();
        OutboxRelay relay = new OutboxRelay(app, messages -> messages.stream().map(OutboxMessage::eventId)
                .collect(Collectors.toSet()), clock, 50);

        RelayResult result = relay.runOnce();

        assertThat(result.failed()).isZero();
        assertThat(result.sent()).isGreaterThanOrEqualTo(2);
        assertThat(deployment.database.count("select count(*) from audit_outbox")).isZero();
    }

    @Test
    void theAppLoginOpensRenewsAndStopsWatchChannelsAndKeepsTheSyncState() {
        TestClock clock = new TestClock(START);
        InMemoryGoogleFeed google = new InMemoryGoogleFeed(clock).alias(CalendarIds.PRIMARY, OWNER);
        Transactions.inTransaction(app, connection -> new CalendarEventRepository(app)
                .storeByGoogleId(connection, meeting(CalendarIds.PRIMARY, "gprimary1", "lead-2")));
        SyncSettings settings = new SyncSettings(Set.of(OWNER), URI.create("https://api.pipedesk.example"),
                Duration.ofDays(7), Duration.ofDays(1), Duration.ofMinutes(10), 3);
        List<Object> syncRequests = new java.util.ArrayList<>();
        ChannelManager channels = new ChannelManager(app, google, new CalendarIds(app, google), syncRequests::add,
                settings, clock);

        ChannelManager.Watched watched = channels.ensureChannel(CalendarIds.PRIMARY);
        assertThat(watched.created()).isTrue();
        assertThat(deployment.database.count("select count(*) from calendar_events where calendar_id = 'primary'")).isZero();

        clock.advance(Duration.ofDays(6).plusHours(1));
        assertThat(channels.renewAll().calendars()).isNotEmpty();
        assertThat(channels.overview()).isNotEmpty();
        String live = new WatchChannelRepository(app).live(OWNER, clock.instant()).getFirst().id();

        // The webhook: a verified notification is recorded on its channel and calendar.
        new WatchChannelRepository(app).recordMessage(live, 7);
        new SyncStateRepository(app).recordNotification(OWNER, clock.instant());
        channels.stop(live);
        assertThat(syncRequests).isNotEmpty();
    }

    @Test
    void theAppLoginMirrorsGoogleChangesAsTheSyncDoes() {
        SyncStateRepository states = new SyncStateRepository(app);
        CalendarEventRepository meetings = new CalendarEventRepository(app);
        String calendar = "sync-" + UUID.randomUUID() + "@pipedesk.example";
        states.ensure(calendar);

        Transactions.inTransaction(app, connection -> {
            states.lock(connection, calendar).orElseThrow();
            meetings.storeByGoogleId(connection, meeting(calendar, "gsync1", "lead-3"));
            meetings.lockLiveMissingFrom(connection, calendar, List.of("gsync1"), START);
            states.recordSkipped(connection, calendar, List.of(new SkippedEvent("gbad", "too_large", START)), id -> false);
            states.completeWalk(connection, calendar, "token-1", true, START);
            states.setState(connection, calendar, SyncStatus.SYNCING, null, START);
            AuditOutbox.append(connection, auditEvent("gsync1"));
            return null;
        });
        states.markFailed(calendar, "events.list: 404", START);
        states.dropTokenForFullSync(calendar, START);

        assertThat(states.find(calendar)).get().extracting(state -> state.skippedEvents().size()).isEqualTo(1);
    }

    @Test
    void theAppLoginCannotReadTheAuditLogDeleteActivityOrChangeTheSchema() {
        assertRefused(app, "select count(*) from audit_logs");
        assertRefused(app, "insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, "
                + "actor_id, occurred_at, source) values (gen_random_uuid(), 1, 'x', 'x', 'create', 'user', 'u', now(), 'api')");
        assertRefused(app, "delete from calendar_events");
        assertRefused(app, "delete from crm_emails");
        assertRefused(app, "select pipedesk_audit.current_actor()");
        assertRefused(app, "create table app_made (id int)");
    }

    // --- pipedesk_audit_writer and pipedesk_timeline_reader -----------------------------------------

    @Test
    void theAuditWriterLoginOnlyInsertsAuditEntries() {
        AuditLogRepository.Appended appended = new AuditLogRepository(auditWriter).append(List.of(new NewAuditLogEntry(
                UUID.randomUUID().toString(), 1, "calendar_event", "e-priv", "create", "user", "u-1", "2031-05-05T09:00:00Z",
                null, "{\"summary\":\"Demo\"}", null, "api", null, null, null)));

        assertThat(appended.written()).isEqualTo(1);
        assertRefused(auditWriter, "select entity_id from audit_logs");
        assertRefused(auditWriter, "select count(*) from calendar_events");
        assertRefused(auditWriter, "select count(*) from audit_outbox");
        assertRefused(auditWriter, "update audit_logs set source = 'x'");
    }

    @Test
    void theTimelineLoginOnlyReads() {
        assertThat(new TimelineRepository(timelineReader).page(TimelineQuery.firstPage(EntityType.LEAD, "lead-1", 20)))
                .isNotNull();
        assertThat(new AuditLogRepository(timelineReader)
                .list(new AuditLogQuery(null, null, null, null, null, null, null, 10, 0))).isNotNull();
        assertRefused(timelineReader, "insert into crm_emails (id, message_id, direction, from_address, sent_at, entity_type, "
                + "entity_id, logged_by) values (gen_random_uuid(), 'm', 'inbound', 'a@b', now(), 'lead', 'l', 'u')");
        assertRefused(timelineReader, "update calendar_events set summary = 'x'");
        assertRefused(timelineReader, "select count(*) from audit_outbox");
        assertRefused(timelineReader, "select count(*) from calendar_sync_state");
    }

    private static void assertRefused(HikariDataSource pool, String sql) {
        assertThatThrownBy(() -> {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).as(sql).isEqualTo(INSUFFICIENT_PRIVILEGE));
    }
}
