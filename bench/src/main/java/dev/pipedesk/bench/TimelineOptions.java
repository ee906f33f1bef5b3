package dev.pipedesk.bench;

/**
 * The timeline suite's options ({@code --timeline-*}).
 *
 * @param warmup        in-process requests per query shape before measuring (enough for the JIT: a few hundred)
 * @param iterations    in-process requests measured per query shape (at most: see {@code shapeSeconds})
 * @param apiWarmup     requests through the local API per shape before measuring
 * @param apiIterations requests measured through the local API per shape
 * @param peerIterations calls of the peer's method measured per shape (each reads the whole meetings table, seconds
 *                      on issue 10's database: few; its p95 is then about its maximum)
 * @param shapeSeconds  a shape stops measuring after this many seconds (at least 20 samples), so a slow
 *                      shape cannot stall the run; the sample count is reported
 * @param scale         the data's size divisor: 1 is issue 10's database (2 M audit rows), 1000 the smoke test's
 */
public record TimelineOptions(int warmup, int iterations, int apiWarmup, int apiIterations, int peerIterations,
                              int shapeSeconds, int scale) {
    static final String USAGE = "[--timeline-warmup=3000] [--timeline-iterations=500] [--timeline-api-warmup=100] "
            + "[--timeline-api-iterations=300] [--timeline-peer-iterations=5] [--timeline-shape-seconds=20] [--timeline-scale=1]";

    public TimelineOptions {
        if (warmup < 0 || iterations < 1 || apiWarmup < 0 || apiIterations < 1 || peerIterations < 1 || shapeSeconds < 1
                || scale < 1) {
            throw new IllegalArgumentException("--timeline-* counts must be positive (warm-ups may be 0)");
        }
    }

    public static TimelineOptions defaults() {
        return new TimelineOptions(3_000, 500, 100, 300, 5, 20, 1);
    }

    public TimelineDataSize size() {
        return scale == 1 ? TimelineDataSize.FULL : TimelineDataSize.fraction(scale);
    }

    /** This with one {@code --timeline-*} option applied; false when {@code name} is not one. */
    TimelineOptions with(String name, int value) {
        return switch (name) {
            case "--timeline-warmup" -> new TimelineOptions(value, iterations, apiWarmup, apiIterations, peerIterations, shapeSeconds, scale);
            case "--timeline-iterations" -> new TimelineOptions(warmup, value, apiWarmup, apiIterations, peerIterations, shapeSeconds, scale);
            case "--timeline-api-warmup" -> new TimelineOptions(warmup, iterations, value, apiIterations, peerIterations, shapeSeconds, scale);
            case "--timeline-api-iterations" -> new TimelineOptions(warmup, iterations, apiWarmup, value, peerIterations, shapeSeconds, scale);
            case "--timeline-peer-iterations" -> new TimelineOptions(warmup, iterations, apiWarmup, apiIterations, value, shapeSeconds, scale);
            case "--timeline-shape-seconds" -> new TimelineOptions(warmup, iterations, apiWarmup, apiIterations, peerIterations, value, scale);
            case "--timeline-scale" -> new TimelineOptions(warmup, iterations, apiWarmup, apiIterations, peerIterations, shapeSeconds, value);
            default -> throw new IllegalArgumentException("unknown option " + name);
        };
    }

    static boolean isOption(String name) {
        return name.startsWith("--timeline-");
    }
}
