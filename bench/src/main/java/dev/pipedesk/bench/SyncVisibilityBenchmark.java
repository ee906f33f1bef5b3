package dev.pipedesk.bench;

import dev.pipedesk.auth.Role;
import dev.pipedesk.emulator.calendar.DeliveryAttempt;
import dev.pipedesk.emulator.calendar.EmulatorControl;
import dev.pipedesk.emulator.calendar.ExternalEdit;
import dev.pipedesk.local.LocalFunctions;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Google change → visible through the API, on the local stack ({@link BenchStack}): the emulator
 * pushes to the webhook route, the webhook enqueues on the FIFO sync queue, the local event source
 * mapping invokes calendar-sync, which lists the change and writes the mirror row; the API reads
 * the mirror.
 * <ol>
 *   <li>Waits until the default calendar is syncing: channel-renewal run once now, then
 *       {@code GET /api/calendar/channels} until the calendar has an active channel and a sync token.</li>
 *   <li>Creates {@value #MEETINGS} meetings through the API (fewer when fewer changes are asked for);
 *       the changes edit them in turn.</li>
 *   <li>Per change: {@link EmulatorControl#editAsUser} gives the meeting a new summary "as another
 *       Google user"; the clock starts when that call returns (the change is committed in Google and
 *       its notification is on its way) and stops when {@code GET /api/calendar/events/{id}} first
 *       shows the new summary, polled one request after the other with {@value #POLL_PAUSE_MS} ms
 *       between them. The next change starts {@value #GAP_MS} ms after the previous one was seen, so
 *       the tail of one sync (audit publish, message delete) does not delay the next.</li>
 * </ol>
 * The first {@code warmup} changes are not counted. Besides the end-to-end latency it records, per
 * change, when the emulator's push was answered by the webhook (the emulator's delivery record;
 * wall clock, so millisecond-ish), and the calendar-sync handler's {@code REPORT} durations over the
 * measured changes.
 */
public record SyncVisibilityBenchmark(BenchStack stack, PrintStream out) {
    static final int MEETINGS = 20;
    static final long POLL_PAUSE_MS = 5;
    static final long GAP_MS = 250;
    /** A change not visible after this is a failure of the benchmark (the backstop would have caught it at 30 s). */
    static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(90);
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final String EDITOR = "colleague@example.com";

    /**
     * @param warmup          changes made before measuring
     * @param meetings        meetings the changes were spread over
     * @param calendarId      the synced calendar (canonical id)
     * @param readyAfter      from the stack being up to the calendar syncing (channel + token)
     * @param visible         edit returned → new summary read through the API
     * @param pushAnswered    edit returned → the webhook's answer to the emulator's push (empty when none matched)
     * @param syncInvocations calendar-sync handler durations (REPORT) during the measured changes
     * @param reads           API reads (GET) during the measured changes: their round trip, the measure's resolution
     * @param notPushed       measured changes for which no push answered before they were visible
     * @param load            the machine's load averages around the measured changes
     */
    public record Result(int warmup, int meetings, String calendarId, Duration readyAfter, Latencies visible,
                         Optional<Latencies> pushAnswered, Optional<Latencies> syncInvocations, Latencies reads,
                         int notPushed, Machine.Load load) {
        public int changes() {
            return visible.count();
        }
    }

    public SyncVisibilityBenchmark {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(out, "out");
    }

    public Result run(int warmup, int changes) throws Exception {
        String admin = stack.token(Role.ADMIN, "bench-admin");
        String sales = stack.token(Role.SALES, "bench-sales");
        long readyStart = System.nanoTime();
        stack.stack().runScheduledJobsNow();
        String calendarId = awaitSyncing(admin);
        Duration readyAfter = Duration.ofNanos(System.nanoTime() - readyStart);
        out.printf("  calendar %s syncing after %.1f s; %d meetings, %d warm-up and %d measured changes%n", calendarId,
                readyAfter.toMillis() / 1000.0, Math.min(MEETINGS, warmup + changes), warmup, changes);

        List<Meeting> meetings = createMeetings(sales, Math.min(MEETINGS, warmup + changes));
        EmulatorControl google = stack.stack().emulator().control();

        long[] visible = new long[changes];
        List<Long> pushed = new ArrayList<>();
        List<Long> reads = new ArrayList<>();
        int notPushed = 0;
        long syncLogStart = 0;
        Machine.Load load = null;
        for (int i = 0; i < warmup + changes; i++) {
            boolean measured = i >= warmup;
            if (i == warmup) {
                syncLogStart = stack.logLines(LocalFunctions.CALENDAR_SYNC.name());
                load = Machine.Load.start();
            }
            Meeting meeting = meetings.get(i % meetings.size());
            String summary = "Bench change " + i + " of " + meeting.googleEventId();
            Instant beforeEdit = Instant.now();
            google.editAsUser(meeting.calendarId(), meeting.googleEventId(), ExternalEdit.by(EDITOR).withSummary(summary));
            long start = System.nanoTime();
            Instant editedAt = Instant.now();
            long elapsed = awaitSummary(sales, meeting, summary, start, measured ? reads : null);
            if (measured) {
                visible[i - warmup] = elapsed;
                Optional<Instant> answered = pushAnswered(google, beforeEdit);
                if (answered.isPresent()) {
                    pushed.add(Math.max(0, ChronoUnit.NANOS.between(editedAt, answered.get())));
                } else {
                    notPushed++;
                }
            }
            Thread.sleep(GAP_MS);
        }
        List<Long> syncs = FunctionReports.durationsNanos(stack.logFile(LocalFunctions.CALENDAR_SYNC.name()), syncLogStart);
        Result result = new Result(warmup, meetings.size(), calendarId, readyAfter, Latencies.of(visible),
                pushed.isEmpty() ? Optional.empty() : Optional.of(latencies(pushed)),
                syncs.isEmpty() ? Optional.empty() : Optional.of(latencies(syncs)), latencies(reads), notPushed,
                Objects.requireNonNull(load, "load").end());
        out.printf("  visible p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (%d changes)%n", result.visible().p50(),
                result.visible().p95(), result.visible().p99(), result.visible().maxMillis(), result.changes());
        return result;
    }

    /** The meeting as created: its row id, Google id and canonical calendar. */
    private record Meeting(String id, String googleEventId, String calendarId) {
    }

    /** Runs channel-renewal's outcome to its end: an active channel and a stored sync token; the calendar's id. */
    private String awaitSyncing(String admin) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            BenchStack.Answer answer = stack.call("GET", "/api/calendar/channels", admin, null);
            last = answer.text();
            if (answer.status() == 200) {
                for (JsonNode calendar : answer.json().path("calendars")) {
                    boolean active = false;
                    for (JsonNode channel : calendar.path("channels")) {
                        active |= "active".equals(channel.path("state").asString(""));
                    }
                    if (active && "syncing".equals(calendar.path("state").asString(""))
                            && !calendar.path("sync_token_age_seconds").isNull()
                            && !calendar.path("sync_token_age_seconds").isMissingNode()) {
                        return calendar.path("calendar_id").asString();
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("No calendar was syncing (active channel and a sync token) within " + READY_TIMEOUT
                + "; GET /api/calendar/channels answered: " + last);
    }

    private List<Meeting> createMeetings(String token, int count) {
        List<Meeting> meetings = new ArrayList<>();
        Instant first = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        for (int i = 0; i < count; i++) {
            Instant start = first.plus(i * 2L, ChronoUnit.HOURS);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("summary", "Bench meeting " + i);
            body.put("description", "Created by the sync-visibility benchmark");
            body.put("start_time", start.toString());
            body.put("end_time", start.plus(1, ChronoUnit.HOURS).toString());
            body.put("attendees", List.of("buyer" + i + "@example.com"));
            JsonNode created = stack.call("POST", "/api/calendar/events", token, body)
                    .requireStatus(201, "POST /api/calendar/events").json();
            meetings.add(new Meeting(created.path("id").asString(), created.path("google_event_id").asString(),
                    created.path("calendar_id").asString()));
        }
        return meetings;
    }

    /** Reads the meeting until it shows {@code summary}; the time since {@code start} (ns) when it first does. */
    private long awaitSummary(String token, Meeting meeting, String summary, long start, List<Long> reads)
            throws InterruptedException {
        String path = "/api/calendar/events/" + meeting.id();
        while (true) {
            long sent = System.nanoTime();
            BenchStack.Answer answer = stack.call("GET", path, token, null).requireStatus(200, "GET " + path);
            long now = System.nanoTime();
            if (reads != null) {
                reads.add(now - sent);
            }
            if (summary.equals(answer.json().path("summary").asString(""))) {
                return now - start;
            }
            if (now - start > CHANGE_TIMEOUT.toNanos()) {
                throw new IllegalStateException("The change to \"" + summary + "\" was not visible through the API after "
                        + CHANGE_TIMEOUT + " (the sync path is broken; see bench/target/bench-logs/local-stack/)");
            }
            Thread.sleep(POLL_PAUSE_MS);
        }
    }

    /** When the webhook answered the first push delivered since the edit began, if any. */
    private static Optional<Instant> pushAnswered(EmulatorControl google, Instant since) {
        return google.deliveryAttempts().stream()
                .filter(a -> a.outcome() == DeliveryAttempt.Outcome.DELIVERED && "exists".equals(a.resourceState()))
                .map(DeliveryAttempt::at)
                .filter(at -> !at.isBefore(since))
                .min(Instant::compareTo);
    }

    private static Latencies latencies(List<Long> samples) {
        return Latencies.of(samples.stream().mapToLong(Long::longValue).toArray());
    }
}
