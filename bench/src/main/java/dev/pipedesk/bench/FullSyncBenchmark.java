package dev.pipedesk.bench;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import dev.pipedesk.emulator.calendar.EmulatorControl;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import dev.pipedesk.google.ChangePage;
import dev.pipedesk.google.GoogleCalendarFeed;
import dev.pipedesk.google.GoogleCalendarGateway;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WatchRequest;
import dev.pipedesk.google.WatchedChannel;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.sync.CalendarSync;
import dev.pipedesk.sync.SyncOutcome;
import dev.pipedesk.sync.SyncSettings;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A full sync of a large calendar, in-process and without the local stack: the Google Calendar
 * emulator in this JVM holds {@code events} events created "by another Google user"
 * ({@link EmulatorControl#insertAsUser}, straight into the emulator, no HTTP), and
 * {@link CalendarSync#sync} — the sync worker's service, with the real {@link GoogleCalendarGateway}
 * over HTTP to the emulator — mirrors them into a fresh, migrated database on the embedded
 * PostgreSQL ({@link BenchPostgres}, pool of 2 as the function has). The calendar has no sync token,
 * so the sync is a full listing ({@code GOOGLE_SYNC_PAGE_SIZE}, default 2,500 events per page) in
 * which every event is a {@code sync_create}: a mirror row and an audit event in the outbox, in
 * transactions of 100 changes, each transaction's events published right after its commit
 * ({@code SendMessageBatch} to the local ElasticMQ audit queue, as the worker does; no
 * no-op sender exists, and the publish is part of the worker's cost). Timed from the call to its
 * return (the sync token stored); repeated on a fresh database each time, the emulator's events
 * unchanged (a sync never writes to Google).
 */
public final class FullSyncBenchmark {
    static final String OWNER = "bench-calendar@pipedesk.local";
    static final String EDITOR = "colleague@example.com";
    private static final long SEED = 20_261_201L;

    /**
     * One run.
     *
     * @param nanos      the sync, call to return
     * @param outcome    what the sync reported (pages, created, ...)
     * @param listNanos  time in {@code events.list} (HTTP to the emulator, JSON parsing), all pages
     * @param sendNanos  time in the audit publish's {@code SendMessageBatch} calls
     * @param rows       mirror rows of the calendar afterwards
     * @param published  audit events on the audit queue afterwards
     * @param leftInOutbox outbox rows not published
     */
    public record Run(long nanos, SyncOutcome outcome, long listNanos, long sendNanos, long rows, long published,
                      long leftInOutbox) {
        public double eventsPerSecond() {
            return outcome.created() / (nanos / 1e9);
        }
    }

    /**
     * @param events       events in the calendar
     * @param insertNanos  putting them into the emulator (set-up, not measured)
     * @param pageSize     {@code GOOGLE_SYNC_PAGE_SIZE}
     * @param runs         every run, in order
     * @param median       the run with the median rate
     * @param load         the machine's load averages around the runs
     */
    public record Result(int events, long insertNanos, int pageSize, List<Run> runs, Run median, Machine.Load load) {
    }

    private final BenchPostgres postgres;
    private final PrintStream out;

    public FullSyncBenchmark(BenchPostgres postgres, PrintStream out) {
        this.postgres = Objects.requireNonNull(postgres, "postgres");
        this.out = Objects.requireNonNull(out, "out");
    }

    public Result run(int events, int repeat) {
        try (GoogleCalendarEmulator google = GoogleCalendarEmulator.start(EmulatorOptions.defaults());
             LocalSqs sqs = LocalSqs.startOnFreePort()) {
            long insertStart = System.nanoTime();
            insert(google.control(), events);
            long insertNanos = System.nanoTime() - insertStart;
            out.printf("  %,d events inserted into the emulator in %.1f s%n", events, insertNanos / 1e9);
            GoogleCalendarSettings settings = GoogleCalendarSettings.fromEnv(new Env(Map.of(
                    "GOOGLE_SERVICE_ACCOUNT_JSON", google.serviceAccountKeyJson("pipedesk-bench@pipedesk-local.iam.gserviceaccount.com"),
                    "GOOGLE_IMPERSONATE_USER", OWNER,
                    "GOOGLE_CALENDAR_ROOT_URL", google.rootUrl().toString())));
            TimedFeed feed = new TimedFeed(GoogleCalendarGateway.create(settings));
            TimedOutboxSender sender = new TimedOutboxSender(SqsOutboxSender.create(new AuditQueueSettings(sqs.auditQueueUrl(),
                    LocalSqs.REGION, sqs.endpoint(), LocalSqs.ACCESS_KEY_ID, LocalSqs.SECRET_ACCESS_KEY, null)));
            SyncSettings sync = SyncSettings.fromEnv(new Env(Map.of(SyncSettings.Variable.GOOGLE_SYNC_CALENDARS.name(), OWNER)));

            List<Run> runs = new ArrayList<>();
            Machine.Load load = Machine.Load.start();
            for (int i = 0; i < repeat; i++) {
                sqs.resetQueues();
                feed.nanos.set(0);
                sender.resetTotal();
                try (BenchDatabase database = postgres.freshDatabase()) {
                    CalendarSync calendarSync = new CalendarSync(database.pool(),
                            feed, new AuditOutbox(database.pool(), sender, Clock.systemUTC()), sync, Clock.systemUTC());
                    long start = System.nanoTime();
                    SyncOutcome outcome = calendarSync.sync(OWNER);
                    long nanos = System.nanoTime() - start;
                    if (outcome.result() != SyncOutcome.Result.SYNCED || outcome.created() != events) {
                        throw new IllegalStateException("The full sync did not mirror every event: " + outcome);
                    }
                    Run run = new Run(nanos, outcome, feed.nanos.get(), sender.totalNanos(),
                            database.queryLong("select count(*) from calendar_events where calendar_id = '" + OWNER + "'"),
                            sqs.auditQueueDepth().total(), database.queryLong("select count(*) from audit_outbox"));
                    out.printf("  run %d: %,.0f events/s (%.2f s, %d pages; events.list %.2f s, audit sends %.2f s)%n", i + 1,
                            run.eventsPerSecond(), nanos / 1e9, outcome.pages(), run.listNanos() / 1e9, run.sendNanos() / 1e9);
                    runs.add(run);
                }
            }
            List<Run> byRate = runs.stream().sorted(Comparator.comparingDouble(Run::eventsPerSecond)).toList();
            return new Result(events, insertNanos, settings.syncPageSize(), runs, byRate.get(byRate.size() / 2), load.end());
        }
    }

    /**
     * The calendar's events, always the same ones for a given count: a one-hour (sometimes 30-minute
     * or two-hour) meeting on a working day between 2031 and 2033, one in 20 an all-day event, a
     * title, most with a description, some with a location, 0 to 4 attendees.
     */
    static void insert(EmulatorControl google, int events) {
        Random random = new Random(SEED);
        Instant base = Instant.parse("2031-01-06T08:00:00Z");
        for (int i = 0; i < events; i++) {
            ObjectNode event = Json.MAPPER.createObjectNode();
            event.put("summary", "Meeting " + i + " " + "with a customer about the proposal".substring(0, 8 + random.nextInt(26)));
            if (random.nextInt(4) != 0) {
                event.put("description", "Agenda: " + "review, pricing, next steps, ".repeat(1 + random.nextInt(6)));
            }
            if (random.nextInt(3) == 0) {
                event.put("location", "Room " + (1 + random.nextInt(40)));
            }
            Instant start = base.plus(random.nextInt(3 * 365), ChronoUnit.DAYS).plus(random.nextInt(20) * 30L, ChronoUnit.MINUTES);
            if (random.nextInt(20) == 0) {
                LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC);
                event.putObject("start").put("date", day.toString());
                event.putObject("end").put("date", day.plusDays(1).toString());
            } else {
                long minutes = new long[]{30, 60, 60, 60, 120}[random.nextInt(5)];
                event.putObject("start").put("dateTime", start.toString());
                event.putObject("end").put("dateTime", start.plus(minutes, ChronoUnit.MINUTES).toString());
            }
            int attendees = random.nextInt(5);
            if (attendees > 0) {
                ArrayNode list = event.putArray("attendees");
                for (int a = 0; a < attendees; a++) {
                    list.addObject().put("email", "person" + random.nextInt(500) + "@example.com");
                }
            }
            google.insertAsUser(OWNER, EDITOR, event);
        }
    }

    /** The real feed, with the time spent listing counted. */
    private static final class TimedFeed implements GoogleCalendarFeed {
        private final GoogleCalendarFeed delegate;
        final AtomicLong nanos = new AtomicLong();

        TimedFeed(GoogleCalendarFeed delegate) {
            this.delegate = delegate;
        }

        @Override
        public String canonicalId(String calendarId) {
            return delegate.canonicalId(calendarId);
        }

        @Override
        public ChangePage listPage(String calendarId, String syncToken, String pageToken) {
            long start = System.nanoTime();
            try {
                return delegate.listPage(calendarId, syncToken, pageToken);
            } finally {
                nanos.addAndGet(System.nanoTime() - start);
            }
        }

        @Override
        public WatchedChannel watch(String calendarId, WatchRequest request) {
            return delegate.watch(calendarId, request);
        }

        @Override
        public void stop(String channelId, String resourceId) {
            delegate.stop(channelId, resourceId);
        }
    }
}
