package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pipedesk.core.calendar.EntityType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The unified timeline's SQL against a real PostgreSQL: order and tie-breaks across the three
 * sources, the linked audit entries, filters, keyset paging under concurrent inserts, the
 * client's scope, and degraded mode with real missing grants. audit_logs is append-only, so each
 * test reads an entity of its own.
 */
@Tag("integration")
class TimelineRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase();
    private static TimelineRepository repository;

    @BeforeAll
    static void repository() {
        repository = new TimelineRepository(database.dataSource());
    }

    // ---- fixtures, inserted with plain SQL -------------------------------------------------

    private static long audit(String entityType, String entityId, String action, Instant occurredAt) {
        return audit(database.dataSource(), entityType, entityId, action, occurredAt);
    }

    private static long audit(DataSource dataSource, String entityType, String entityId, String action,
                              Instant occurredAt) {
        String sql = """
                insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
                                        occurred_at, source)
                values (?, 1, ?, ?, ?, 'user', 'u-1', ?, 'test') returning id""";
        return Transactions.inTransaction(dataSource, c -> Jdbc.first(c, sql,
                List.of(UUID.randomUUID(), entityType, entityId, action, occurredAt), row -> row.getLong(1)).orElseThrow());
    }

    /**
     * An audit entry of a meeting or an e-mail, whose snapshot ({@code after}) links it to
     * {@code linkedType}/{@code linkedId}, as the calendar function writes it.
     */
    private static long linkedAudit(String entityType, String entityId, String linkedType, String linkedId,
                                    String action, Instant occurredAt) {
        String sql = """
                insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id,
                                        occurred_at, after, source)
                values (?, 1, ?, ?, ?, 'user', 'u-1', ?, jsonb_build_object('id', ?::text, 'entity_type', ?::text,
                        'entity_id', ?::text), 'test') returning id""";
        return Transactions.inTransaction(database.dataSource(), c -> Jdbc.first(c, sql,
                List.of(UUID.randomUUID(), entityType, entityId, action, occurredAt, entityId, linkedType, linkedId),
                row -> row.getLong(1)).orElseThrow());
    }

    private static long linkedAudit(String entityType, String entityId, String dealId, String action, Instant at) {
        return linkedAudit(entityType, entityId, "deal", dealId, action, at);
    }

    private static String meeting(String id, String entityId, Instant start, String status, String attendee) {
        return meeting(database.dataSource(), id, entityId, start, status, attendee);
    }

    private static String meeting(DataSource dataSource, String id, String entityId, Instant start, String status,
                                  String attendee) {
        String sql = """
                insert into calendar_events (id, google_event_id, calendar_id, summary, description, start_time,
                                             end_time, status, attendees, entity_type, entity_id, created_by)
                values (?, ?, 'primary', 'Demo', 'secret notes', ?, ?, ?, ?::jsonb, 'deal', ?, 'u-1')""";
        String attendees = "[{\"email\":\"" + attendee + "\",\"responseStatus\":\"needsAction\",\"organizer\":false,\"optional\":false}]";
        Transactions.inTransaction(dataSource, c -> Jdbc.update(c, sql, List.of(UUID.fromString(id), "g-" + id, start,
                start.plusSeconds(1800), status, attendees, entityId)));
        return id;
    }

    private static String email(String id, String entityId, Instant sentAt, boolean unlinked) {
        return email(database.dataSource(), id, entityId, sentAt, unlinked);
    }

    private static String email(DataSource dataSource, String id, String entityId, Instant sentAt, boolean unlinked) {
        String sql = """
                insert into crm_emails (id, message_id, direction, from_address, to_addresses, subject, sent_at,
                                        entity_type, entity_id, logged_by, unlinked_at, unlinked_by)
                values (?, ?, 'inbound', 'a@b.com', array['c@d.com'], 'Hello', ?, 'deal', ?, 'u-1', ?, ?)""";
        Transactions.inTransaction(dataSource, c -> Jdbc.update(c, sql, java.util.Arrays.asList(UUID.fromString(id),
                "<" + id + "@mail>", sentAt, entityId, unlinked ? sentAt.plusSeconds(60) : null, unlinked ? "u-2" : null)));
        return id;
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    private static TimelineQuery all(String dealId, int limit) {
        return TimelineQuery.firstPage(EntityType.DEAL, dealId, limit);
    }

    private static TimelineQuery query(String dealId, Set<TimelineSource> sources, Instant since, Instant until,
                                       int limit) {
        return new TimelineQuery(EntityType.DEAL, dealId, sources, since, until, limit, null, 0, null);
    }

    /** {@code audit:12}, {@code email:<uuid>}, {@code meeting:<uuid>}. */
    private static List<String> ids(TimelinePage page) {
        return page.entries().stream().map(TimelineRepositoryTest::id).toList();
    }

    private static String id(TimelineEntry entry) {
        return entry.source().wire() + ":" + entry.position().id();
    }

    // ---- order ------------------------------------------------------------------------------

    @Test
    void mergesTheSourcesNewestFirstAndBreaksTimestampTiesByAuditThenEmailThenMeetingThenIdDescending() {
        String deal = "order-" + uuid();
        String meetingLow = meeting("00000000-0000-4000-8000-000000000001", deal, T0, "confirmed", "x@y.com");
        // Above 7fff…: PostgreSQL compares uuids as unsigned bytes, Java's UUID.compareTo would not.
        String meetingHigh = meeting("f0000000-0000-4000-8000-000000000001", deal, T0, "confirmed", "x@y.com");
        String emailLow = email("10000000-0000-4000-8000-000000000001", deal, T0, false);
        String emailHigh = email("e0000000-0000-4000-8000-000000000001", deal, T0, false);
        long auditFirst = audit("deal", deal, "update", T0);
        long auditSecond = audit("deal", deal, "update", T0);
        long newest = audit("deal", deal, "update", T0.plusMillis(1));
        String oldest = email(uuid(), deal, T0.minusMillis(1), false);

        TimelinePage page = repository.page(all(deal, 50));

        assertThat(ids(page)).containsExactly("audit:" + newest, "audit:" + auditSecond, "audit:" + auditFirst,
                "email:" + emailHigh, "email:" + emailLow, "meeting:" + meetingHigh, "meeting:" + meetingLow,
                "email:" + oldest);
        assertThat(page.total()).isEqualTo(8);
        assertThat(page.hasMore()).isFalse();
        assertThat(page.degraded()).isEmpty();
    }

    @Test
    void walksTheTieBreakAcrossSourcesPageByPageWithoutGapOrRepeat() {
        String deal = "tiewalk-" + uuid();
        meeting("00000000-0000-4000-8000-000000000002", deal, T0, "confirmed", "x@y.com");
        meeting("f0000000-0000-4000-8000-000000000002", deal, T0, "confirmed", "x@y.com");
        email("10000000-0000-4000-8000-000000000002", deal, T0, false);
        email("e0000000-0000-4000-8000-000000000002", deal, T0, false);
        audit("deal", deal, "update", T0);
        audit("deal", deal, "update", T0);
        List<String> whole = ids(repository.page(all(deal, 50)));

        List<String> walked = new ArrayList<>();
        TimelineQuery query = all(deal, 1);
        for (TimelinePage page = repository.page(query); ; page = repository.page(query.after(page.nextPosition()))) {
            walked.addAll(ids(page));
            if (page.nextPosition() == null) {
                break;
            }
        }

        assertThat(walked).containsExactlyElementsOf(whole).hasSize(6);
    }

    @Test
    void includesTheAuditEntriesOfTheMeetingsAndEmailsLinkedToTheEntityWhenTheyHappened() {
        String deal = "links-" + uuid();
        String other = "another-" + deal;
        String meeting = meeting(uuid(), deal, T0.plusSeconds(3600), "confirmed", "x@y.com");
        String cancelled = meeting(uuid(), deal, T0.plusSeconds(7200), "cancelled", "x@y.com");
        String email = email(uuid(), deal, T0.minusSeconds(60), false);
        String unlinked = email(uuid(), deal, T0.minusSeconds(120), true);
        long meetingCreated = linkedAudit("calendar_event", meeting, deal, "create", T0);
        long cancellation = linkedAudit("calendar_event", cancelled, deal, "cancel", T0.plusSeconds(10));
        long emailLogged = linkedAudit("email", email, deal, "create", T0.plusSeconds(20));
        long unlinkedLogged = linkedAudit("email", unlinked, deal, "create", T0.plusSeconds(30));
        long unlinking = linkedAudit("email", unlinked, deal, "unlink", T0.plusSeconds(40));
        long dealUpdated = audit("deal", deal, "update", T0.plusSeconds(50));
        audit("deal", other, "update", T0.plusSeconds(50));
        audit("lead", deal, "update", T0.plusSeconds(50));
        linkedAudit("calendar_event", uuid(), "lead", deal, "create", T0.plusSeconds(50));
        // Moved to another deal: its entry from before the move stays with this one.
        String moved = meeting(uuid(), other, T0.plusSeconds(60), "confirmed", "x@y.com");
        long movedCreated = linkedAudit("calendar_event", moved, deal, "create", T0.plusSeconds(1));
        linkedAudit("calendar_event", moved, other, "update", T0.plusSeconds(2));

        TimelinePage page = repository.page(all(deal, 50));

        assertThat(ids(page)).containsExactly("meeting:" + meeting, "audit:" + dealUpdated, "audit:" + unlinking,
                "audit:" + unlinkedLogged, "audit:" + emailLogged, "audit:" + cancellation, "audit:" + movedCreated,
                "audit:" + meetingCreated, "email:" + email);
        assertThat(page.total()).isEqualTo(9);
    }

    // ---- filters ----------------------------------------------------------------------------

    @Test
    void readsOnlyTheSourcesAskedFor() {
        String deal = "types-" + uuid();
        String meeting = meeting(uuid(), deal, T0, "confirmed", "x@y.com");
        String email = email(uuid(), deal, T0.plusSeconds(1), false);
        long audit = audit("deal", deal, "update", T0.plusSeconds(2));

        assertThat(ids(repository.page(query(deal, EnumSet.of(TimelineSource.MEETING), null, null, 10))))
                .containsExactly("meeting:" + meeting);
        assertThat(ids(repository.page(query(deal, EnumSet.of(TimelineSource.EMAIL, TimelineSource.AUDIT), null, null,
                10)))).containsExactly("audit:" + audit, "email:" + email);
        TimelinePage none = repository.page(query(deal, Set.of(), null, null, 10));
        assertThat(none.entries()).isEmpty();
        assertThat(none.total()).isZero();
    }

    @Test
    void sinceIsInclusiveAndUntilExclusiveOnEverySourcesTimestamp() {
        String deal = "dates-" + uuid();
        long before = audit("deal", deal, "update", T0.minusNanos(1000));
        long atSince = audit("deal", deal, "update", T0);
        String emailInside = email(uuid(), deal, T0.plusSeconds(30), false);
        String meetingInside = meeting(uuid(), deal, T0.plusSeconds(59), "confirmed", "x@y.com");
        String meetingAtUntil = meeting(uuid(), deal, T0.plusSeconds(60), "confirmed", "x@y.com");

        TimelinePage page = repository.page(query(deal, EnumSet.allOf(TimelineSource.class), T0, T0.plusSeconds(60), 10));

        assertThat(ids(page)).containsExactly("meeting:" + meetingInside, "email:" + emailInside, "audit:" + atSince);
        assertThat(page.total()).isEqualTo(3);
        assertThat(ids(repository.page(all(deal, 10)))).contains("audit:" + before, "meeting:" + meetingAtUntil);
    }

    @Test
    void aClientQueryReadsOnlyMeetingsTheAddressAttendsWhateverTheSourcesAskedFor() {
        String deal = "client-" + uuid();
        String attended = meeting(uuid(), deal, T0, "confirmed", "Client@Example.com");
        meeting(uuid(), deal, T0.plusSeconds(1), "confirmed", "someone@else.com");
        email(uuid(), deal, T0.plusSeconds(2), false);
        audit("deal", deal, "update", T0.plusSeconds(3));
        linkedAudit("calendar_event", attended, deal, "create", T0.plusSeconds(4));

        TimelineQuery client = new TimelineQuery(EntityType.DEAL, deal, EnumSet.allOf(TimelineSource.class), null, null,
                10, null, 0, "client@example.COM");
        TimelinePage page = repository.page(client);
        TimelineQuery clientAuditOnly = new TimelineQuery(EntityType.DEAL, deal, EnumSet.of(TimelineSource.AUDIT), null,
                null, 10, null, 0, "client@example.com");

        assertThat(ids(page)).containsExactly("meeting:" + attended);
        assertThat(page.total()).isEqualTo(1);
        assertThat(repository.page(clientAuditOnly).entries()).isEmpty();
    }

    // ---- paging -----------------------------------------------------------------------------

    @Test
    void countsTheTotalOnAFirstPageOnlyAndPagesByOffsetForCompatibility() {
        String deal = "offset-" + uuid();
        for (int i = 0; i < 5; i++) {
            audit("deal", deal, "update", T0.plusSeconds(i));
            email(uuid(), deal, T0.plusSeconds(i), false);
        }
        TimelinePage first = repository.page(all(deal, 3));
        TimelinePage byOffset = repository.page(new TimelineQuery(EntityType.DEAL, deal,
                EnumSet.allOf(TimelineSource.class), null, null, 3, null, 3, null));
        TimelinePage byCursor = repository.page(all(deal, 3).after(first.nextPosition()));
        TimelinePage pastTheEnd = repository.page(new TimelineQuery(EntityType.DEAL, deal,
                EnumSet.allOf(TimelineSource.class), null, null, 3, null, 30, null));

        assertThat(first.total()).isEqualTo(10);
        assertThat(first.hasMore()).isTrue();
        assertThat(byOffset.total()).isEqualTo(10);
        assertThat(ids(byOffset)).isEqualTo(ids(byCursor)).hasSize(3);
        assertThat(byCursor.total()).isNull();
        assertThat(pastTheEnd.entries()).isEmpty();
        assertThat(pastTheEnd.total()).isEqualTo(10);
    }

    @Test
    void theTotalStopsCountingAtItsCapAcrossTheSourcesAndSaysSo() {
        String over = "cap-over-" + uuid();
        String at = "cap-at-" + uuid();
        for (int i = 0; i < 3; i++) {
            audit("deal", over, "update", T0.plusSeconds(i));
            email(uuid(), over, T0.plusSeconds(i), false);
        }
        audit("deal", at, "update", T0);
        audit("deal", at, "update", T0.plusSeconds(1));
        email(uuid(), at, T0.plusSeconds(2), false);
        email(uuid(), at, T0.plusSeconds(3), false);
        TimelineRepository capped = new TimelineRepository(database.dataSource(), 4);

        TimelinePage overFirst = capped.page(all(over, 2));
        TimelinePage overPastTheEnd = capped.page(new TimelineQuery(EntityType.DEAL, over,
                EnumSet.allOf(TimelineSource.class), null, null, 2, null, 50, null));
        TimelinePage atFirst = capped.page(all(at, 2));
        TimelinePage byCursor = capped.page(all(over, 2).after(overFirst.nextPosition()));

        assertThat(overFirst.total()).isEqualTo(4);
        assertThat(overFirst.totalExact()).isFalse();
        assertThat(overFirst.hasMore()).isTrue();
        assertThat(overPastTheEnd.total()).isEqualTo(4);
        assertThat(overPastTheEnd.totalExact()).isFalse();
        assertThat(atFirst.total()).isEqualTo(4);
        assertThat(atFirst.totalExact()).isTrue();
        assertThat(byCursor.total()).isNull();
        assertThat(capped.totalLimit()).isEqualTo(4);
        assertThat(TimelineRepository.EXACT_TOTAL_LIMIT).isEqualTo(AuditLogRepository.EXACT_TOTAL_LIMIT);
    }

    @Test
    void aDegradedPageCountsTheSourcesThatAnsweredUpToTheCap() {
        String deal = "cap-degraded-" + uuid();
        for (int i = 0; i < 3; i++) {
            audit("deal", deal, "update", T0.plusSeconds(i));
            meeting(uuid(), deal, T0.plusSeconds(10 + i), "confirmed", "x@y.com");
        }
        email(uuid(), deal, T0.plusSeconds(20), false);
        TimelineRepository capped = new TimelineRepository(
                roleReading("reader_without_emails_capped", "audit_logs", "calendar_events"), 5);

        TimelinePage page = capped.page(all(deal, 2));

        assertThat(page.degraded()).containsExactly(TimelineSource.EMAIL);
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.totalExact()).isFalse();
    }

    @Test
    void aCursorWalkOverAThousandMixedEntriesMissesAndRepeatsNoneWhileAnotherThreadInserts() throws Exception {
        String deal = "walk-" + uuid();
        // 1,000 entries over ~ 100 s of timestamps, with many exact ties within and across sources.
        Set<String> initial = new HashSet<>();
        Transactions.inTransaction(database.dataSource(), c -> {
            for (int i = 0; i < 1000; i++) {
                Instant at = T0.plusSeconds(i / 10);
                switch (i % 3) {
                    case 0 -> initial.add("audit:" + Jdbc.first(c, """
                            insert into audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type,
                                                    actor_id, occurred_at, source)
                            values (?, 1, 'deal', ?, 'update', 'user', 'u-1', ?, 'test') returning id""",
                            List.of(UUID.randomUUID(), deal, at), row -> row.getLong(1)).orElseThrow());
                    case 1 -> {
                        String id = uuid();
                        Jdbc.update(c, """
                                insert into crm_emails (id, message_id, direction, from_address, sent_at, entity_type,
                                                        entity_id, logged_by)
                                values (?, ?, 'outbound', 'a@b.com', ?, 'deal', ?, 'u-1')""",
                                List.of(UUID.fromString(id), "<" + id + ">", at, deal));
                        initial.add("email:" + id);
                    }
                    default -> {
                        String id = uuid();
                        Jdbc.update(c, """
                                insert into calendar_events (id, google_event_id, calendar_id, summary, start_time,
                                                             end_time, entity_type, entity_id, created_by)
                                values (?, ?, 'primary', 'Walk', ?, ?, 'deal', ?, 'u-1')""",
                                List.of(UUID.fromString(id), "g-" + id, at, at.plusSeconds(60), deal));
                        initial.add("meeting:" + id);
                    }
                }
            }
            return null;
        });
        AtomicBoolean walking = new AtomicBoolean(true);
        AtomicInteger inserted = new AtomicInteger();
        CompletableFuture<Void> inserter = CompletableFuture.runAsync(() -> {
            // Entries all over the walked range (older and newer than any page), in all sources.
            for (int i = 0; walking.get(); i++) {
                Instant at = T0.plusSeconds((i * 37L) % 110 - 5);
                switch (i % 3) {
                    case 0 -> audit("deal", deal, "update", at);
                    case 1 -> email(uuid(), deal, at, false);
                    default -> meeting(uuid(), deal, at, "confirmed", "x@y.com");
                }
                inserted.incrementAndGet();
            }
        });

        List<String> walked = new ArrayList<>();
        try {
            TimelineQuery query = all(deal, 37);
            TimelinePage page = repository.page(query);
            while (true) {
                walked.addAll(ids(page));
                if (page.nextPosition() == null) {
                    break;
                }
                int before = inserted.get();
                // At least one insert between every two pages.
                await().atMost(Duration.ofSeconds(10)).until(() -> inserted.get() > before);
                page = repository.page(query.after(page.nextPosition()));
            }
        } finally {
            walking.set(false);
            inserter.get();
        }

        assertThat(walked).doesNotHaveDuplicates();
        assertThat(walked).containsAll(initial);
    }

    // ---- degraded mode and roles ------------------------------------------------------------

    /** A login role with SELECT on these tables only. */
    private static DataSource roleReading(String role, String... tables) {
        Transactions.withAutoCommit(database.dataSource(), c -> {
            Jdbc.update(c, "create role " + role + " login", List.of());
            Jdbc.update(c, "grant usage on schema public to " + role, List.of());
            for (String table : tables) {
                Jdbc.update(c, "grant select on " + table + " to " + role, List.of());
            }
            return null;
        });
        return database.dataSource(role);
    }

    @Test
    void aSourceWhoseTableCannotBeReadIsDegradedAndTheOthersStillAnswer() {
        String deal = "noemails-" + uuid();
        String meeting = meeting(uuid(), deal, T0.plusSeconds(30), "confirmed", "x@y.com");
        long meetingCreated = linkedAudit("calendar_event", meeting, deal, "create", T0.plusSeconds(20));
        long dealUpdated = audit("deal", deal, "update", T0.plusSeconds(10));
        String email = email(uuid(), deal, T0, false);
        long emailLogged = linkedAudit("email", email, deal, "create", T0.plusSeconds(5));
        TimelineRepository withoutEmails = new TimelineRepository(
                roleReading("reader_without_emails", "audit_logs", "calendar_events"));

        TimelinePage page = withoutEmails.page(all(deal, 2));
        TimelinePage next = withoutEmails.page(all(deal, 2).after(page.nextPosition()));

        assertThat(page.degraded()).containsExactly(TimelineSource.EMAIL);
        assertThat(ids(page)).containsExactly("meeting:" + meeting, "audit:" + meetingCreated);
        assertThat(page.total()).isEqualTo(4);
        assertThat(ids(next)).containsExactly("audit:" + dealUpdated, "audit:" + emailLogged);
        assertThat(next.degraded()).containsExactly(TimelineSource.EMAIL);
        assertThat(next.hasMore()).isFalse();
    }

    @Test
    void withoutTheAuditLogOnlyTheAuditSourceIsDegraded() {
        String deal = "noaudit-" + uuid();
        String meeting = meeting(uuid(), deal, T0.plusSeconds(30), "confirmed", "x@y.com");
        String email = email(uuid(), deal, T0, false);
        audit("deal", deal, "update", T0.plusSeconds(10));
        TimelineRepository withoutAudit = new TimelineRepository(
                roleReading("reader_without_audit", "calendar_events", "crm_emails"));

        TimelinePage page = withoutAudit.page(all(deal, 10));

        assertThat(page.degraded()).containsExactly(TimelineSource.AUDIT);
        assertThat(ids(page)).containsExactly("meeting:" + meeting, "email:" + email);
        assertThat(page.total()).isEqualTo(2);
    }

    @Test
    void whenEverySourceFailsThePageFails() {
        String deal = "nothing-" + uuid();
        audit("deal", deal, "update", T0);
        TimelineRepository readingNothing = new TimelineRepository(roleReading("reader_of_nothing"));

        assertThatThrownBy(() -> readingNothing.page(all(deal, 10)))
                .isInstanceOfSatisfying(DatabaseException.class,
                        e -> assertThat(e.sqlState()).isEqualTo("42501"));
    }

    @Test
    void aStatementTimeoutDegradesTheSlowSourceOnly() {
        String deal = "timeout-" + uuid();
        String email = email(uuid(), deal, T0, false);
        long dealUpdated = audit("deal", deal, "update", T0.plusSeconds(1));
        // A role whose every statement is cut after 200 ms; crm_emails stays locked while the page is read.
        DataSource slow = roleReading("reader_with_timeout", "audit_logs", "calendar_events", "crm_emails");
        Transactions.withAutoCommit(database.dataSource(), c ->
                Jdbc.update(c, "alter role reader_with_timeout set statement_timeout = '200ms'", List.of()));
        TimelineRepository timingOut = new TimelineRepository(slow);

        TimelinePage page = Transactions.inTransaction(database.dataSource(), locker -> {
            Jdbc.update(locker, "lock table crm_emails in access exclusive mode", List.of());
            return timingOut.page(all(deal, 10));
        });

        assertThat(page.degraded()).containsExactly(TimelineSource.EMAIL);
        assertThat(ids(page)).containsExactly("audit:" + dealUpdated);
        assertThat(ids(repository.page(all(deal, 10)))).contains("email:" + email);
    }

    @Test
    void theTimelineReaderRoleReadsEverySource() {
        String deal = "reader-" + uuid();
        String meeting = meeting(uuid(), deal, T0.plusSeconds(2), "confirmed", "x@y.com");
        String email = email(uuid(), deal, T0.plusSeconds(1), false);
        long created = linkedAudit("email", email, deal, "create", T0);
        Transactions.withAutoCommit(database.dataSource(), c -> {
            Jdbc.update(c, "create role timeline_login login in role pipedesk_timeline_reader", List.of());
            return null;
        });
        TimelineRepository asReader = new TimelineRepository(database.dataSource("timeline_login"));

        TimelinePage page = asReader.page(all(deal, 10));

        assertThat(page.degraded()).isEmpty();
        assertThat(ids(page)).containsExactly("meeting:" + meeting, "email:" + email, "audit:" + created);
    }

    /** The plan of a statement as PostgreSQL would run it with sequential scans priced out. */
    private static String planOf(SqlStatement statement) {
        return Transactions.inTransaction(database.dataSource(), c -> {
            Jdbc.update(c, "set local enable_seqscan = off", List.of());
            return Jdbc.first(c, "explain (format json) " + statement.sql(), statement.parameters(),
                    row -> row.getString(1)).orElseThrow();
        });
    }

    @Test
    void everyBranchOfEveryQueryShapeIsAnIndexRangeScan() {
        String deal = "plans-" + uuid();
        TimelineQuery first = all(deal, 50);
        List<TimelineQuery> shapes = new ArrayList<>(List.of(first,
                query(deal, EnumSet.of(TimelineSource.EMAIL, TimelineSource.AUDIT), T0, T0.plusSeconds(3600), 20),
                new TimelineQuery(EntityType.DEAL, deal, EnumSet.allOf(TimelineSource.class), null, null, 10, null, 0,
                        "client@example.com")));
        for (TimelineSource source : TimelineSource.values()) {
            String id = source == TimelineSource.AUDIT ? "42" : uuid();
            shapes.add(first.after(new TimelinePosition(T0, source, id)));
        }

        for (TimelineQuery shape : shapes) {
            List<SqlStatement> statements = new ArrayList<>(repository.countStatements(shape));
            statements.add(repository.mergedStatement(shape));
            for (SqlStatement statement : statements) {
                // With sequential scans priced out, a branch without a usable index still shows one.
                assertThat(planOf(statement)).as("%s", shape).doesNotContain("Seq Scan");
            }
        }
        // The first page reads each branch on its own index (other shapes may pick another index
        // the planner prefers for their bounds, e.g. audit_logs_occurred for a narrow date range).
        assertThat(planOf(repository.mergedStatement(first))).contains("\"audit_logs_entity\"",
                "\"audit_logs_linked\"", "\"crm_emails_timeline\"", "\"calendar_events_timeline\"");
    }

    @Test
    void theMergedStatementIsWhatAPageRuns() {
        TimelineQuery query = all("stmt-" + uuid(), 50);

        SqlStatement statement = repository.mergedStatement(query);

        assertThat(statement.sql()).contains(" union all ").contains(" as total").endsWith("limit ? offset ?");
        assertThat(statement.parameters()).endsWith(51, 0);
        assertThat(repository.mergedStatement(query.after(new TimelinePosition(T0, TimelineSource.EMAIL, uuid()))).sql())
                .doesNotContain(" as total");
        assertThat(repository.countStatements(query)).hasSize(1);
    }
}
