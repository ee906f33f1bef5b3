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

    /**
     * Several calls measured side by side: each iteration runs every call once, the one that goes
     * first rotating from iteration to iteration, so that each sees the same machine — on a shared
     * machine whose load comes and goes, measuring one call for {@code seconds} and then the next
     * compares two different machines. {@code warmup} untimed iterations (stopping early after a
     * quarter of the budget), then up to {@code iterations} timed ones, stopping early after
     * {@code seconds} once {@value #MIN_SAMPLES} are in. One {@link Latencies} per call, in order.
     */
    static java.util.List<Latencies> interleaved(int warmup, int iterations, int seconds, java.util.List<Call> calls) {
        long budget = seconds * 1_000_000_000L;
        int k = calls.size();
        try {
            long started = System.nanoTime();
            for (int i = 0; i < warmup && System.nanoTime() - started < budget / 4; i++) {
                for (int c = 0; c < k; c++) {
                    calls.get((i + c) % k).run();
                }
            }
            long[][] samples = new long[k][iterations];
            int n = 0;
            started = System.nanoTime();
            int minimum = Math.min(iterations, MIN_SAMPLES);
            while (n < iterations && (n < minimum || System.nanoTime() - started < budget)) {
                for (int c = 0; c < k; c++) {
                    int which = (n + c) % k;
                    long start = System.nanoTime();
                    calls.get(which).run();
                    samples[which][n] = System.nanoTime() - start;
                }
                n++;
            }
            java.util.List<Latencies> latencies = new java.util.ArrayList<>();
            for (long[] call : samples) {
                latencies.add(Latencies.of(java.util.Arrays.copyOf(call, n)));
            }
            return latencies;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
