package dev.pipedesk.bench;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditChanges;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.ConferenceStatus;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.postgres.CalendarEventRepository;
import dev.pipedesk.postgres.Transactions;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;

/**
 * What the transactional outbox adds to a calendar write, measured as the calendar function
 * does the write ({@code PostgresEventStore} in functions/calendar): one transaction on a HikariCP pool of
 * 2, the mirror row written with {@link CalendarEventRepository#storeByGoogleId(java.sql.Connection, CalendarEvent)}.
 * <ul>
 *   <li>without the outbox: that transaction alone;</li>
 *   <li>with the outbox: the same transaction, plus building the audit event (before/after JSON,
 *       the changed fields) and {@link AuditOutbox#append} (contract validation, insert);</li>
 *   <li>hand-off: after the commit, {@link AuditOutbox#publishInBackground} of that one event,
 *       which is what the function does before it answers: the caller waits for the hand-off only;</li>
 *   <li>background publish: from the commit until that publish has run on the outbox's background
 *       thread (SendMessageBatch to ElasticMQ, then the outbox row deleted): how fresh the audit
 *       queue is, not part of the answer. The harness waits for it before the next iteration, so
 *       the background work never overlaps a measured write.</li>
 * </ul>
 * Half the writes create a meeting, half update one written earlier (an update's event carries
 * before, after and changes, so it is the larger one). The two variants alternate, one of each
 * per iteration, in alternating order, on the same database.
 */
public final class OutboxOverheadBenchmark {
    private static final Set<String> NOT_CHANGES = Set.of("updatedAt");

    /**
     * @param withoutOutbox       the write transaction alone
     * @param withOutbox          the write transaction with the audit event appended to the outbox
     * @param handoff             handing the event to the background publisher, after the commit
     * @param publish             from the commit until the background publish has sent and deleted the row
     * @param publishSend         the part of the publish spent in the SQS sender (SendMessageBatch)
     * @param withOutboxAndHandoff with-outbox transaction plus hand-off, per iteration: what the caller waits for
     * @param leftInOutbox        outbox rows not published at the end (0 expected)
     * @param queued              messages on the audit queue at the end (warm-up + measured expected)
     */
    public record Result(int warmup, Latencies withoutOutbox, Latencies withOutbox, Latencies handoff,
                         Latencies publish, Latencies publishSend, Latencies withOutboxAndHandoff, long leftInOutbox,
                         long queued) {
        public int iterations() {
            return withoutOutbox.count();
        }
    }

    private final BenchPostgres postgres;
    private final PrintStream out;

    public OutboxOverheadBenchmark(BenchPostgres postgres, PrintStream out) {
        this.postgres = Objects.requireNonNull(postgres, "postgres");
        this.out = Objects.requireNonNull(out, "out");
    }

    public Result run(int warmup, int iterations) {
        try (BenchDatabase database = postgres.freshDatabase();
             LocalSqs sqs = LocalSqs.startOnFreePort()) {
            DataSource pool = database.pool();
            TimedOutboxSender sender = new TimedOutboxSender(SqsOutboxSender.create(new AuditQueueSettings(sqs.auditQueueUrl(),
                    LocalSqs.REGION, sqs.endpoint(), LocalSqs.ACCESS_KEY_ID, LocalSqs.SECRET_ACCESS_KEY, null)));
            AuditOutbox outbox = new AuditOutbox(pool, sender, Clock.systemUTC());
            CalendarEventRepository repository = new CalendarEventRepository(pool);
            Workload plain = new Workload(repository, new Random(1));
            Workload audited = new Workload(repository, new Random(2));

            long[] without = new long[iterations];
            long[] with = new long[iterations];
            long[] handoff = new long[iterations];
            long[] publish = new long[iterations];
            long[] withAndHandoff = new long[iterations];
            long[] send = new long[iterations];
            out.println("  " + warmup + " warm-up iterations, then " + iterations + " measured");
            for (int i = 0; i < warmup + iterations; i++) {
                long[] sample = new long[4];
                if (i % 2 == 0) {
                    sample[0] = plain.write(pool);
                    audited.writeWithOutbox(pool, outbox, sample);
                } else {
                    audited.writeWithOutbox(pool, outbox, sample);
                    sample[0] = plain.write(pool);
                }
                int m = i - warmup;
                if (m >= 0) {
                    without[m] = sample[0];
                    with[m] = sample[1];
                    handoff[m] = sample[2];
                    publish[m] = sample[3];
                    withAndHandoff[m] = sample[1] + sample[2];
                    send[m] = sender.lastNanos();
                }
            }
            long left = database.queryLong("select count(*) from audit_outbox");
            long queued = sqs.auditQueueDepth().total();
            return new Result(warmup, Latencies.of(without), Latencies.of(with), Latencies.of(handoff),
                    Latencies.of(publish), Latencies.of(send), Latencies.of(withAndHandoff), left, queued);
        }
    }

    /** One series of meetings: every other write creates one, the others update one of the series. */
    private static final class Workload {
        private final CalendarEventRepository repository;
        private final Random random;
        private final List<CalendarEvent> stored = new ArrayList<>();
        private int writes;

        Workload(CalendarEventRepository repository, Random random) {
            this.repository = repository;
            this.random = random;
        }

        /** The next write: a create (index -1, no before) or an update of a stored meeting. */
        private Plan next() {
            boolean create = writes++ % 2 == 0 || stored.isEmpty();
            if (create) {
                return new Plan(-1, null, newMeeting());
            }
            int index = random.nextInt(stored.size());
            CalendarEvent before = stored.get(index);
            Instant start = before.startTime().plus(Duration.ofMinutes(30));
            CalendarEvent changed = new CalendarEvent(before.id(), before.googleEventId(), before.calendarId(),
                    before.summary() + " (moved)", before.description(), start, start.plus(Duration.ofMinutes(45)),
                    before.meetLink(), before.conferenceStatus(), before.htmlLink(), before.status(),
                    before.organizerEmail(), before.attendees(), before.entityType(), before.entityId(), before.createdBy(),
                    before.idempotencyKey(), before.requestHash(), "\"" + random.nextInt(1_000_000) + "\"",
                    now(), before.createdAt(), now());
            return new Plan(index, before, changed);
        }

        /** The write transaction alone; returns its duration in nanoseconds. */
        long write(DataSource pool) {
            Plan next = next();
            long start = System.nanoTime();
            CalendarEvent row = Transactions.inTransaction(pool, c -> repository.storeByGoogleId(c, next.row()).row());
            long nanos = System.nanoTime() - start;
            remember(next, row);
            return nanos;
        }

        /**
         * The write with its audit event in the outbox, then the hand-off to the background publisher;
         * durations into sample[1] (transaction) and sample[2] (hand-off), and into sample[3] the time
         * from the commit until the background publish has finished (waited for here, untimed for the caller).
         */
        void writeWithOutbox(DataSource pool, AuditOutbox outbox, long[] sample) {
            Plan next = next();
            long start = System.nanoTime();
            Written written = Transactions.inTransaction(pool, c -> {
                CalendarEvent row = repository.storeByGoogleId(c, next.row()).row();
                AuditEvent event = auditEvent(next.before(), row);
                AuditOutbox.append(c, event);
                return new Written(row, event);
            });
            long committed = System.nanoTime();
            CompletableFuture<Void> publishing = outbox.publishInBackground(List.of(written.event().eventId()));
            long handedOff = System.nanoTime();
            publishing.join();
            long published = System.nanoTime();
            sample[1] = committed - start;
            sample[2] = handedOff - committed;
            sample[3] = published - committed;
            remember(next, written.row());
        }

        private void remember(Plan plan, CalendarEvent row) {
            if (plan.index() < 0) {
                stored.add(row);
            } else {
                stored.set(plan.index(), row);
            }
        }

        private CalendarEvent newMeeting() {
            Instant start = Instant.parse("2026-04-01T09:00:00Z").plus(Duration.ofMinutes(30L * random.nextInt(5_000)));
            List<Attendee> attendees = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                attendees.add(Attendee.invited("guest" + random.nextInt(10_000) + "@example.com"));
            }
            Instant now = now();
            return new CalendarEvent(UUID.randomUUID().toString(), dev.pipedesk.core.Ids.newGoogleEventId(), "primary",
                    "Discovery call", "Agenda: introductions, requirements, next steps.", start,
                    start.plus(Duration.ofMinutes(45)), "https://meet.google.com/abc-defg-hij", ConferenceStatus.SUCCESS,
                    "https://calendar.google.com/event?eid=" + random.nextInt(1_000_000), EventStatus.CONFIRMED,
                    "calendar@pipedesk.local", attendees, EntityType.LEAD, "lead-" + random.nextInt(50_000),
                    "user-" + random.nextInt(200), null, null, "\"" + random.nextInt(1_000_000) + "\"", now, now, now);
        }

        private static Instant now() {
            return Instant.now().truncatedTo(ChronoUnit.MICROS);
        }
    }

    /** The event the calendar function builds for a create (after only) or an update (before, after, changes). */
    static AuditEvent auditEvent(CalendarEvent before, CalendarEvent after) {
        JsonNode afterJson = Json.MAPPER.valueToTree(after);
        JsonNode beforeJson = before == null ? null : Json.MAPPER.valueToTree(before);
        Map<String, AuditEvent.Change> changes = before == null ? null : AuditChanges.diff(beforeJson, afterJson, NOT_CHANGES);
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), "calendar_event", after.id(),
                before == null ? "create" : "update", AuditEvent.Actor.user(after.createdBy()), Instant.now(), beforeJson,
                afterJson, changes, "calendar", "req-" + UUID.randomUUID(), "203.0.113.7",
                "Mozilla/5.0 (X11; Linux x86_64) PipeDeskBench/1.0");
    }


    private record Written(CalendarEvent row, AuditEvent event) {
    }

    /** One write: the index and row of the meeting it updates (-1 and null for a create), and the row to write. */
    private record Plan(int index, CalendarEvent before, CalendarEvent row) {
    }
}
