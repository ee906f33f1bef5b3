package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.calendar.Attendee;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The timeline benchmark's generator on a real (embedded) PostgreSQL, at a two-thousandth of issue 10's size. */
@Tag("integration")
class BenchDataGeneratorTest {
    private static final TimelineDataSize SMALL = TimelineDataSize.fraction(2_000);
    private static BenchPostgres postgres;
    private static BenchDatabase first;
    private static BenchDataGenerator.Summary summary;

    @BeforeAll
    static void generate() throws Exception {
        postgres = BenchPostgres.start();
        first = postgres.freshDatabase();
        summary = load(first);
    }

    @AfterAll
    static void stop() {
        first.close();
        postgres.close();
    }

    private static BenchDataGenerator.Summary load(BenchDatabase database) throws Exception {
        try (Connection connection = database.unpooled().getConnection()) {
            return new BenchDataGenerator(SMALL).load(connection);
        }
    }

    /** A digest of every generated row (audit rows by id, so their order counts too). */
    private static String digest(BenchDatabase database) {
        return database.queryString("select md5(string_agg(t, '|' order by t)) from ("
                + " select a::text as t from (select id, event_id, entity_type, entity_id, action, actor_id, occurred_at, before,"
                + " after, changes from audit_logs) a"
                + " union all select c::text from calendar_events c"
                + " union all select e::text from crm_emails e) rows");
    }

    @Test
    void theSameSizeGivesTheSameRows() throws Exception {
        try (BenchDatabase second = postgres.freshDatabase()) {
            BenchDataGenerator.Summary again = load(second);

            assertThat(again).isEqualTo(summary);
            assertThat(digest(second)).isEqualTo(digest(first));
        }
    }

    @Test
    void writesTheSizesRowsPlusTheBigDealsAndNamesTheEntitiesToQuery() {
        assertThat(first.queryLong("select count(*) from calendar_events")).isEqualTo(SMALL.meetings() + SMALL.bigMeetings());
        assertThat(first.queryLong("select count(*) from crm_emails")).isEqualTo(SMALL.emails() + SMALL.bigEmails());
        assertThat(first.queryLong("select count(*) from audit_logs")).isEqualTo(summary.auditRows());
        assertThat(first.queryLong("select count(*) from audit_logs where entity_type = 'deal' and entity_id = '"
                + summary.bigDealId() + "'")).isEqualTo(SMALL.bigAudit());
        assertThat(first.queryLong("select count(*) from calendar_events where entity_id = '" + summary.bigDealId() + "'"))
                .isEqualTo(SMALL.bigMeetings());
        assertThat(first.queryLong("select count(*) from audit_logs where entity_type = '" + summary.typicalType()
                + "' and entity_id = '" + summary.typicalId() + "'")).isEqualTo(summary.typicalOwnAudit());
        assertThat(first.queryLong("select count(*) from audit_logs where actor_id = '" + summary.busyUser() + "'")).isPositive();
    }

    @Test
    void auditRowsAreShapedAsTheirProducersWriteThemAndPointAtRealRows() {
        assertThat(first.queryLong("select count(*) from audit_logs a where a.entity_type = 'calendar_event'"
                + " and not exists (select 1 from calendar_events m where m.id::text = a.entity_id)")).isZero();
        assertThat(first.queryLong("select count(*) from audit_logs a where a.entity_type = 'email'"
                + " and not exists (select 1 from crm_emails e where e.id::text = a.entity_id)")).isZero();
        assertThat(first.queryString("select string_agg(distinct action, ',' order by action) from audit_logs"
                + " where entity_type = 'calendar_event'")).isEqualTo("cancel,create,sync_cancel,sync_create,sync_update,update");
        assertThat(first.queryString("select string_agg(distinct action, ',' order by action) from audit_logs"
                + " where entity_type = 'email'")).isEqualTo("create,unlink");
        assertThat(first.queryLong("select count(*) from audit_logs where action = 'status_change'"
                + " and not (changes ? 'status' or changes ? 'stage')")).isZero();
        assertThat(first.queryLong("select count(*) from audit_logs where action like 'sync_%'"
                + " and actor_id <> 'system:google-sync'")).isZero();
        assertThat(first.queryLong("select count(*) from audit_logs where entity_type in ('lead', 'deal')"
                + " and source <> 'database'")).isZero();
        // ids grow with time, as the audit-writer assigns them
        assertThat(first.queryLong("select count(*) from (select occurred_at < lag(occurred_at) over (order by id) as back"
                + " from audit_logs) o where back")).isZero();
    }

    @Test
    void meetingsNameTheirEntityAndCarryItsEmailAndSomeAreCancelledOrUnlinked() {
        assertThat(first.queryLong("select count(*) from calendar_events where entity_id is not null"
                + " and position(entity_id in description) = 0")).isZero();
        assertThat(first.queryLong("select count(*) from calendar_events where status = 'cancelled'")).isPositive();
        assertThat(first.queryLong("select count(*) from calendar_events where entity_id is null")).isPositive();
        assertThat(first.queryLong("select count(*) from calendar_events where entity_id = '" + summary.bigDealId()
                + "' and not attendees @> '[{\"email\": \"" + summary.bigDealEmail() + "\"}]'")).isZero();
        assertThat(first.queryLong("select count(*) from crm_emails where unlinked_at is not null")).isPositive();
    }

    /** The keys of an attendee as the calendar function writes it (its record's components, as Jackson names them), sorted. */
    private static final String ATTENDEE_KEYS = Arrays.stream(Attendee.class.getRecordComponents())
            .map(RecordComponent::getName).sorted().map(key -> "'" + key + "'").collect(Collectors.joining(", "));

    @Test
    void attendeesAreStoredAsTheCalendarFunctionStoresThem() {
        // Every attendee has exactly the keys the calendar function writes (its Attendee record), so the
        // timeline reads the generated rows as it reads real ones: with every response status.
        assertThat(first.queryLong("select count(*) from calendar_events, jsonb_array_elements(attendees) attendee"
                + " where (select array_agg(key order by key) from jsonb_object_keys(attendee) key)"
                + " <> array[" + ATTENDEE_KEYS + "]")).isZero();
        assertThat(first.queryLong("select count(*) from calendar_events, jsonb_array_elements(attendees) attendee"
                + " where attendee ->> 'responseStatus' is null")).isZero();
    }
}
