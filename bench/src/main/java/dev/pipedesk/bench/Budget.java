package dev.pipedesk.bench;

/** Latency sampling with a time budget: a slow query shape cannot stall the run, yet has enough samples. */
final class Budget {
    static final int MIN_SAMPLES = 20;

    private Budget() {
    }

    /** One timed call. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /**
     * {@code warmup} untimed calls, then up to {@code iterations} timed ones, stopping early after
     * {@code seconds} once {@value #MIN_SAMPLES} are in (the warm-up also stops early then).
     */
    static Latencies measure(int warmup, int iterations, int seconds, Call call) {
        long budget = seconds * 1_000_000_000L;
        try {
            long started = System.nanoTime();
            for (int i = 0; i < warmup && System.nanoTime() - started < budget / 4; i++) {
                call.run();
            }
            long[] samples = new long[iterations];
            int n = 0;
            started = System.nanoTime();
            int minimum = Math.min(iterations, MIN_SAMPLES);
            while (n < iterations && (n < minimum || System.nanoTime() - started < budget)) {
                long start = System.nanoTime();
                call.run();
                samples[n++] = System.nanoTime() - start;
            }
            return Latencies.of(java.util.Arrays.copyOf(samples, n));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
