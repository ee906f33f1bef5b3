package dev.pipedesk.bench;

import static dev.pipedesk.bench.PerformanceReport.latencyLine;
import static dev.pipedesk.bench.PerformanceReport.ms;
import static dev.pipedesk.bench.PerformanceReport.ms0;
import static dev.pipedesk.bench.PerformanceReport.n;
import static dev.pipedesk.bench.PerformanceReport.s;

import dev.pipedesk.local.lambda.FunctionSpec;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Section 5 of docs/performance.md: the Google Calendar sync benchmarks, with their reading (every figure from the run). */
final class SyncSection {
    private SyncSection() {
    }

    static void append(StringBuilder md, PerformanceReport report) {
        md.append("## 5. Google Calendar sync\n\n");
        md.append("The sync path of `docs/sync.md`, three ways. *Change visible* and *webhook acknowledgement* run on the "
                + "local stack as `./pipedesk local` starts it (every function in its own JVM behind the local API "
                + "gateway, the FIFO sync queue in ElasticMQ with its per-calendar poller, the Google Calendar emulator, "
                + "embedded PostgreSQL; channel-renewal every 10 s, backstop 30 s), except for free ports and **the rate "
                + "limit off** (`RATE_LIMIT_USER_PER_MINUTE=0` for calendar and timeline: the visibility benchmark reads "
                + "a meeting far more often than 600 times a minute). *Full sync* runs in-process, without the stack. "
                + "`./pipedesk bench --only=sync-visibility,webhook-ack,full-sync` runs just these three. Everything "
                + "shares the machine's ").append(report.machine().cpus()).append(" CPUs (and, on a shared machine, "
                + "with whatever else runs: the load averages below say how busy it was).\n\n");
        if (report.syncVisibility() != null) {
            visibility(md, report.syncVisibility());
        }
        if (report.webhookAck() != null) {
            webhook(md, report.webhookAck());
        }
        if (report.fullSync() != null) {
            fullSync(md, report.fullSync());
        }
        md.append(findings(report));
    }

    private static void visibility(StringBuilder md, SyncVisibilityBenchmark.Result r) {
        md.append("### 5.1 Google change → visible through the API\n\n");
        md.append("**Method.** The benchmark waits until the default calendar (`").append(r.calendarId())
                .append("`) is syncing — channel-renewal run once, then `GET /api/calendar/channels` until the calendar "
                        + "has an active channel and a sync token (")
                .append(String.format(Locale.ROOT, "%.1f", r.readyAfter().toMillis() / 1000.0))
                .append(" s after the stack was up) — and creates ").append(n(r.meetings()))
                .append(" meetings through the API. Each change is `EmulatorControl.editAsUser`: another Google user "
                        + "gives one of the meetings (in turn) a new summary, which commits it in the emulator and sends "
                        + "the channel's push notification. The clock starts when that call returns and stops when "
                        + "`GET /api/calendar/events/{id}` (one read after the other, ")
                .append(SyncVisibilityBenchmark.POLL_PAUSE_MS).append(" ms apart, as a sales user) first shows the new "
                        + "summary. In between: the emulator's push → local gateway → webhook (verify, enqueue) → "
                        + "ElasticMQ FIFO queue → the local event source mapping → calendar-sync (`events.list` with the "
                        + "sync token, the mirror row and its `sync_update` audit event) → the API reads the mirror. The "
                        + "next change starts ").append(SyncVisibilityBenchmark.GAP_MS).append(" ms after the previous one "
                        + "was seen. ").append(n(r.warmup())).append(" warm-up changes, then ").append(n(r.changes()))
                .append(" measured. Load average ").append(r.load()).append(".\n\n");
        md.append("| Latency (ms) | p50 | p95 | p99 | mean | max |\n|---|---:|---:|---:|---:|---:|\n");
        latencyLine(md, "**edit → new summary read through the API**", r.visible());
        r.pushAnswered().ifPresent(l -> latencyLine(md, "edit → the webhook answered the emulator's push", l));
        r.syncInvocations().ifPresent(l -> latencyLine(md, "calendar-sync handler, per invocation (`REPORT`, "
                + n(l.count()) + " invocations)", l));
        latencyLine(md, "one API read (`GET /api/calendar/events/{id}`), the measure's resolution", r.reads());
        md.append('\n');
        md.append("*Push answered* is the emulator's record of the delivery (wall clock, so to about a millisecond)");
        if (r.notPushed() > 0) {
            md.append("; for ").append(n(r.notPushed())).append(" change(s) no push was answered before the change was "
                    + "visible (a backstop or an earlier sync picked it up)");
        }
        md.append(". A change becomes visible at most one read plus the pause after it happened, so the end-to-end "
                + "figures are late by about half a read on average.\n\n");
    }

    private static void webhook(StringBuilder md, WebhookAckBenchmark.Result r) {
        md.append("### 5.2 Webhook acknowledgement\n\n");
        md.append("**Method.** `POST /webhooks/google-calendar` as Google sends it (empty body; `X-Goog-Channel-ID`, "
                        + "`-Token`, `-Resource-ID`, `-Resource-State: exists`, `-Message-Number` increasing), one after "
                        + "the other on a keep-alive connection, through the local API gateway to the webhook function "
                        + "(its own JVM, the real handler). The token is stored only hashed, so the benchmark inserts a "
                        + "channel of its own into `calendar_watch_channels` (calendar `")
                .append(WebhookAckBenchmark.CALENDAR).append("`, a known token, its SHA-256 in `token_sha256`). Every "
                        + "notification passes verification, is recorded and puts a sync request on the FIFO queue, so "
                        + "calendar-sync syncs that calendar in the background meanwhile (")
                .append(n(r.syncs())).append(" invocations; the calendar ends `").append(r.calendar())
                .append("`): the webhook shares the machine with the work it triggers. ").append(n(r.warmup()))
                .append(" warm-up notifications (the instance's first invocations: class loading, JIT), then ")
                .append(n(r.requests())).append(" measured; answers: ").append(answers(r.results()))
                .append(". Load average ").append(r.load()).append(".\n\n");
        md.append("| Latency (ms) | p50 | p95 | p99 | mean | max |\n|---|---:|---:|---:|---:|---:|\n");
        latencyLine(md, "**client: request → answer through the local gateway**", r.client());
        r.handler().ifPresent(l -> latencyLine(md, "webhook handler alone (`REPORT` duration)", l));
        md.append('\n');
    }

    private static void fullSync(StringBuilder md, FullSyncBenchmark.Result r) {
        md.append("### 5.3 Full sync of ").append(n(r.events())).append(" events\n\n");
        md.append("**Method.** In the benchmark's JVM, without the local stack: the Google Calendar emulator holds ")
                .append(n(r.events())).append(" events created by another Google user (`EmulatorControl.insertAsUser`, "
                        + "in-process: ").append(s(r.insertNanos())).append(" s; titles, most with a description, some "
                        + "with a location, 0–4 attendees, one in 20 all-day). `CalendarSync.sync` — the sync worker's "
                        + "service — with the real `GoogleCalendarGateway` (HTTP to the emulator) mirrors them into a fresh, "
                        + "migrated database on the embedded PostgreSQL (HikariCP pool of 2, as the function has). No sync "
                        + "token yet, so it is a full listing (`GOOGLE_SYNC_PAGE_SIZE` ").append(n(r.pageSize()))
                .append(" events per page) and every event a `sync_create`: a mirror row and an audit event in the "
                        + "outbox, in transactions of 100 changes, each transaction's events published right after its "
                        + "commit with `SendMessageBatch` to a local ElasticMQ audit queue (as the worker does; there is no "
                        + "no-op `OutboxSender`, and the publish is part of the worker's cost). Timed from the call to its "
                        + "return, the sync token stored. ").append(n(r.runs().size())).append(" runs, each on a fresh "
                        + "database, the emulator's events unchanged; the median run counts (the first run also warms "
                        + "up this JVM's JIT for the sync's code). The benchmark JVM runs the full JIT (C2), where the local function host, like Lambda's recommended flags, stops at C1. "
                        + "Load average ").append(r.load()).append(".\n\n");
        md.append("| Run | Elapsed | Events/s | Pages | `events.list` | audit `SendMessageBatch` | the rest (database, mapping, audit events) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < r.runs().size(); i++) {
            FullSyncBenchmark.Run run = r.runs().get(i);
            boolean median = run == r.median();
            String b = median ? "**" : "";
            md.append("| ").append(b).append(i + 1).append(median ? " (median)" : "").append(b).append(" | ")
                    .append(s(run.nanos())).append(" s | ").append(b).append(n(run.eventsPerSecond())).append(b)
                    .append(" | ").append(run.outcome().pages()).append(" | ").append(s(run.listNanos())).append(" s | ")
                    .append(s(run.sendNanos())).append(" s | ")
                    .append(s(run.nanos() - run.listNanos() - run.sendNanos())).append(" s |\n");
        }
        FullSyncBenchmark.Run m = r.median();
        md.append("\nAfter the median run: ").append(n(m.rows())).append(" mirror rows, ").append(n(m.published()))
                .append(" audit events on the queue, ").append(n(m.leftInOutbox())).append(" left in the outbox; the sync "
                        + "reported ").append(n(m.outcome().created())).append(" created, ").append(n(m.outcome().skipped()))
                .append(" skipped.\n\n");
    }

    private static int machineCpus(PerformanceReport report) {
        return report.machine().cpus();
    }

    private static String answers(Map<String, Integer> results) {
        return results.entrySet().stream().map(e -> n(e.getValue()) + " × `" + e.getKey() + "`")
                .collect(Collectors.joining(", "));
    }

    /** The reading: each verdict, where the time goes, and what would be needed where a target is missed. */
    static String findings(PerformanceReport report) {
        StringBuilder md = new StringBuilder("### Reading\n\n");
        SyncVisibilityBenchmark.Result v = report.syncVisibility();
        if (v != null) {
            boolean met = v.visible().p95() < PerformanceReport.SYNC_VISIBLE_TARGET_MS;
            md.append("- **Change visible < 1 s at p95: ").append(met ? "met" : "missed").append(".** ")
                    .append(ms0(v.visible().p95())).append(" ms at p95, ").append(ms0(v.visible().p50()))
                    .append(" ms at p50 over ").append(n(v.changes())).append(" changes.");
            v.pushAnswered().ifPresent(push -> md.append(" Of the median, about ").append(ms0(push.p50()))
                    .append(" ms pass before the webhook has answered the push (the emulator sends it asynchronously, "
                            + "then gateway, webhook); the remaining ~").append(ms0(Math.max(0, v.visible().p50() - push.p50())))
                    .append(" ms are the FIFO queue hand-off to calendar-sync, the sync itself"));
            v.syncInvocations().ifPresent(sync -> md.append(" (its handler ").append(ms0(sync.p50()))
                    .append(" ms at p50, ").append(ms0(sync.p95())).append(" ms at p95)"));
            md.append(v.pushAnswered().isPresent() ? " and the next read." : "");
            if (!met) {
                md.append(" The tail comes from the machine: every piece runs on the same ").append(report.machine().cpus())
                        .append(" CPUs, each function in a JVM limited to the C1 JIT as on Lambda. In AWS the pieces run "
                                + "on their own CPUs; the SQS event source mapping's long poll hands a message over within "
                                + "tens of milliseconds, and a warm sync worker lists one change in one call.");
            }
            md.append(" Lambda adds what the local stack cannot show: a cold start of calendar-sync after a quiet period "
                    + "(seconds for a JVM function, unless SnapStart or provisioned concurrency hides it), and Google's own push delay, which Google does not bound "
                    + "(typically well under a second, sometimes more); neither is in these numbers.\n");
        }
        WebhookAckBenchmark.Result w = report.webhookAck();
        if (w != null) {
            boolean met = w.client().p95() < PerformanceReport.WEBHOOK_TARGET_MS;
            md.append("- **Webhook < 100 ms at p95: ").append(met ? "met" : "missed").append(".** ")
                    .append(ms(w.client().p95())).append(" ms at p95 from the client, ").append(ms(w.client().p50()))
                    .append(" ms at p50");
            w.handler().ifPresent(h -> md.append("; the handler itself takes ").append(ms(h.p50())).append(" ms at p50 and ")
                    .append(ms(h.p95())).append(" ms at p95, the rest is the local gateway and the function host (a few "
                            + "milliseconds, section 3)"));
            md.append(". Per notification the handler reads the channel, sends one `SendMessage` to the FIFO queue and "
                    + "records the notification (two updates): four round trips to PostgreSQL or ElasticMQ on loopback, "
                    + "however much the sync it asks for costs.");
            if (!met) {
                md.append(" The median is well under the target; the tail is those round trips waiting for CPUs, shared "
                        + "with the syncs the notifications trigger, the other functions, PostgreSQL, ElasticMQ and other "
                        + "work on this machine (the load averages above count runnable threads, ours included, against "
                        + machineCpus(report) + " CPUs). In AWS each warm Lambda has its CPU to itself and RDS and SQS "
                        + "answer in a few milliseconds, so this figure is an upper bound, not a forecast; the way to know "
                        + "is to measure it there. Should it be needed, the work per notification can shrink: the two "
                        + "updates that record the notification could be one statement, or move to the worker, leaving "
                        + "one read and one `SendMessage` on the path Google waits for.");
            }
            md.append('\n');
        }
        FullSyncBenchmark.Result f = report.fullSync();
        if (f != null) {
            FullSyncBenchmark.Run m = f.median();
            double perEventMs = (m.nanos() - m.listNanos() - m.sendNanos()) / 1e6 / m.outcome().created();
            md.append("- **Full sync: ").append(n(m.eventsPerSecond())).append(" events/s** (median of ")
                    .append(f.runs().size()).append("; ").append(n(f.events())).append(" events in ")
                    .append(s(m.nanos())).append(" s, ").append(m.outcome().pages()).append(" page(s)). Listing is "
                            + "the small part (").append(s(m.listNanos())).append(" s); sending the ")
                    .append(n(m.published())).append(" audit events in batches of 10 takes ").append(s(m.sendNanos()))
                    .append(" s; the rest, about ").append(String.format(Locale.ROOT, "%.2f", perEventMs))
                    .append(" ms per event, is the database and the audit events: per event a meeting lock, a row "
                            + "lookup, a savepoint, the insert, and the audit event built, validated against the "
                            + "contract and appended to the outbox.");
            long timeout = FunctionSpec.DEFAULT_TIMEOUT.toSeconds();
            double seconds = m.nanos() / 1e9;
            if (seconds < timeout / 2.0) {
                md.append(" That fits in one invocation of the local stack's calendar-sync (every local function has ")
                        .append(timeout).append(" s), even allowing for its C1-only JIT.");
            } else {
                md.append(seconds < timeout
                                ? " **That is close to the " + timeout + " s one invocation of the local stack's calendar-sync "
                                        + "may run**, and the function host runs only the C1 JIT, so it is slower there than "
                                        + "here, and longer still when the machine is busier"
                                : " **That is longer than the " + timeout + " s one invocation of the local stack's "
                                        + "calendar-sync may run** (and the function host runs only the C1 JIT, so it is "
                                        + "slower there than here)")
                        .append(": a first sync of a calendar this size may not finish in one invocation there. Nothing "
                                + "is lost — the chunks already applied stay committed, no token is stored, and the queue "
                                + "message comes back after the visibility timeout — but the next attempt lists the "
                                + "calendar again from the start; it finds the committed rows unchanged (etag equal), which "
                                + "costs less than creating them, so each attempt should get further (not measured here). "
                                + "In AWS the queue-triggered worker can be given minutes (Lambda allows 15, and the FIFO "
                                + "queue's visibility timeout must then exceed it).");
            }
            md.append(" A first sync of a calendar this size is a one-off, and a full resync after a 410 is rare.\n");
        }
        md.append('\n');
        return md.toString();
    }
}
