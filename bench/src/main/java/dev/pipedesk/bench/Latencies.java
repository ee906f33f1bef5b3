package dev.pipedesk.bench;

import java.util.Arrays;

/**
 * A latency distribution from raw samples (nanoseconds): sorted once, percentiles by nearest
 * rank (the value below which {@code p}% of the samples fall, as HdrHistogram reports it).
 */
public final class Latencies {
    private final long[] sorted;

    private Latencies(long[] sorted) {
        this.sorted = sorted;
    }

    public static Latencies of(long[] samplesNanos) {
        if (samplesNanos.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long[] copy = samplesNanos.clone();
        Arrays.sort(copy);
        return new Latencies(copy);
    }

    public int count() {
        return sorted.length;
    }

    /** The {@code p}-th percentile (0 < p ≤ 100) in milliseconds. */
    public double percentileMillis(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("p must be in (0, 100]");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return millis(sorted[Math.max(0, rank - 1)]);
    }

    public double p50() {
        return percentileMillis(50);
    }

    public double p95() {
        return percentileMillis(95);
    }

    public double p99() {
        return percentileMillis(99);
    }

    public double maxMillis() {
        return millis(sorted[sorted.length - 1]);
    }

    public double meanMillis() {
        double sum = 0;
        for (long sample : sorted) {
            sum += sample;
        }
        return sum / sorted.length / 1_000_000.0;
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
