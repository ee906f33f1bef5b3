package dev.pipedesk.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code ./pipedesk bench} runs, from {@code --name=value} arguments.
 *
 * @param events            audit events per ingest run (raw JDBC, in-process writer, each pipeline run)
 * @param warmupEvents      events each ingest run writes before it measures
 * @param pipelineBatchSize the pipeline's event source mapping batch size (with a 500 ms batching window when above 10)
 * @param repeat            interleaved rounds of raw JDBC and the in-process writer (at batch sizes 10, 100, 1,000), and
 *                          runs of the full sync; the medians count
 * @param concurrency       pipeline runs: pollers, each with its own audit-writer instance (Lambda's concurrency)
 * @param outboxWarmup      calendar-write iterations before measuring (and rate-limited requests)
 * @param outboxIterations  measured calendar-write iterations (and rate-limited requests)
 * @param syncWarmup        Google changes made before measuring their visibility
 * @param syncChanges       measured Google changes (change → visible through the API)
 * @param webhookWarmup     webhook notifications sent before measuring
 * @param webhookRequests   measured webhook notifications
 * @param syncEvents        events in the calendar of the full sync (run {@code repeat} times, the median counts)
 * @param output            the Markdown report to write, or null for none
 * @param only              run just these benchmarks ({@link #BENCHMARKS}); empty: all
 * @param timeline          the timeline suite's options ({@code --timeline-*})
 * @param coldStart         the cold-start suite's options ({@code --coldstart-*})
 */
public record BenchOptions(int events, int warmupEvents, int pipelineBatchSize, int repeat, List<Integer> concurrency,
                           int outboxWarmup, int outboxIterations, int syncWarmup, int syncChanges, int webhookWarmup,
                           int webhookRequests, int syncEvents, Path output, List<String> only, TimelineOptions timeline,
                           ColdStartOptions coldStart) {

    /** The benchmarks {@code --only} selects from. */
    public static final List<String> BENCHMARKS = List.of("ingest", "outbox", "gateway", "ratelimit", "sync-visibility",
            "webhook-ack", "full-sync", "timeline", "zips", "coldstart");
    /** The benchmarks that need no database (a run of only these starts none). */
    public static final List<String> WITHOUT_DATABASE = List.of("zips");

    public static final String USAGE = """
            usage: ./pipedesk bench [--events=20000] [--warmup-events=2000] [--pipeline-batch=1000] [--repeat=3] [--concurrency=1,2,4]
                                    [--outbox-warmup=500] [--outbox-iterations=3000]
                                    [--sync-warmup=10] [--sync-changes=200] [--webhook-warmup=200] [--webhook-requests=1000]
                                    [--sync-events=10000] [--output=docs/performance.md | --no-output]
                                    [--only=ingest|outbox|gateway|ratelimit|sync-visibility|webhook-ack|full-sync|timeline|zips|coldstart]
                                    """ + TimelineOptions.USAGE + "\n" + ColdStartOptions.USAGE;

    public BenchOptions {
        if (events < 1 || warmupEvents < 0 || pipelineBatchSize < 1 || pipelineBatchSize > 10_000 || repeat < 1 || outboxWarmup < 0 || outboxIterations < 1
                || syncWarmup < 0 || syncChanges < 1 || webhookWarmup < 0 || webhookRequests < 1 || syncEvents < 1) {
            throw new IllegalArgumentException("counts must be positive (warm-ups may be 0)");
        }
        concurrency = List.copyOf(concurrency);
        if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1 || c > 8)) {
            throw new IllegalArgumentException("--concurrency takes 1..8, comma-separated");
        }
        only = List.copyOf(only);
        java.util.Objects.requireNonNull(timeline, "timeline");
        java.util.Objects.requireNonNull(coldStart, "coldStart");
        if (!BENCHMARKS.containsAll(only)) {
            throw new IllegalArgumentException("--only takes " + String.join(", ", BENCHMARKS) + " (comma-separated)");
        }
    }

    /**
     * 20,000 events (2,000 warm-up), pipeline batches of 1,000, 3 repeats, concurrency 1, 2 and 4, 500 + 3,000 calendar
     * writes, 10 + 200 Google changes, 200 + 1,000 webhook notifications, a full sync of 10,000 events.
     */
    public static BenchOptions defaults(Path repoRoot) {
        return new BenchOptions(20_000, 2_000, 1_000, 3, List.of(1, 2, 4), 500, 3_000, 10, 200, 200, 1_000, 10_000,
                repoRoot.resolve("docs").resolve("performance.md"), List.of(), TimelineOptions.defaults(),
                ColdStartOptions.defaults());
    }

    public static BenchOptions parse(String[] args, Path repoRoot) {
        BenchOptions d = defaults(repoRoot);
        int events = d.events;
        int warmupEvents = d.warmupEvents;
        int pipelineBatchSize = d.pipelineBatchSize;
        int repeat = d.repeat;
        List<Integer> concurrency = d.concurrency;
        int outboxWarmup = d.outboxWarmup;
        int outboxIterations = d.outboxIterations;
        int syncWarmup = d.syncWarmup;
        int syncChanges = d.syncChanges;
        int webhookWarmup = d.webhookWarmup;
        int webhookRequests = d.webhookRequests;
        int syncEvents = d.syncEvents;
        Path output = d.output;
        List<String> only = d.only;
        TimelineOptions timeline = d.timeline;
        ColdStartOptions coldStart = d.coldStart;
        for (String arg : args) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            if (TimelineOptions.isOption(name)) {
                timeline = timeline.with(name, integer(name, value));
                continue;
            }
            if (ColdStartOptions.isOption(name)) {
                coldStart = coldStart.with(name, value);
                continue;
            }
            switch (name) {
                case "--events" -> events = integer(name, value);
                case "--warmup-events" -> warmupEvents = integer(name, value);
                case "--pipeline-batch" -> pipelineBatchSize = integer(name, value);
                case "--repeat" -> repeat = integer(name, value);
                case "--concurrency" -> concurrency = Arrays.stream(value.split(",")).map(v -> integer(name, v.trim())).toList();
                case "--outbox-warmup" -> outboxWarmup = integer(name, value);
                case "--outbox-iterations" -> outboxIterations = integer(name, value);
                case "--sync-warmup" -> syncWarmup = integer(name, value);
                case "--sync-changes" -> syncChanges = integer(name, value);
                case "--webhook-warmup" -> webhookWarmup = integer(name, value);
                case "--webhook-requests" -> webhookRequests = integer(name, value);
                case "--sync-events" -> syncEvents = integer(name, value);
                case "--output" -> output = repoRoot.resolve(value);
                case "--no-output" -> output = null;
                case "--only" -> only = Arrays.stream(value.split(",")).map(String::trim).toList();
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new BenchOptions(events, warmupEvents, pipelineBatchSize, repeat, concurrency, outboxWarmup, outboxIterations,
                syncWarmup, syncChanges, webhookWarmup, webhookRequests, syncEvents, output, only, timeline, coldStart);
    }

    public boolean runs(String benchmark) {
        return only.isEmpty() || only.contains(benchmark);
    }

    /** Whether any benchmark that needs the database runs. */
    public boolean runsWithDatabase() {
        return BENCHMARKS.stream().filter(b -> !WITHOUT_DATABASE.contains(b)).anyMatch(this::runs);
    }

    public BenchOptions withOutput(Path path) {
        return new BenchOptions(events, warmupEvents, pipelineBatchSize, repeat, concurrency, outboxWarmup, outboxIterations,
                syncWarmup, syncChanges, webhookWarmup, webhookRequests, syncEvents, path, only, timeline, coldStart);
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
        }
    }
}
