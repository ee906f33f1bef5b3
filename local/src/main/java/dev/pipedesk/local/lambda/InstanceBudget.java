package dev.pipedesk.local.lambda;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cap on how many function instances (child JVMs) the whole local stack runs at once, shared
 * by every {@link FunctionProcess}. A function's first instance is always allowed (so every
 * function can answer, even when there are more functions than the cap); instances started on
 * demand beyond that only while the total stays within the cap. Thread-safe.
 */
public final class InstanceBudget {
    private final int maxInstances;
    private final AtomicInteger running = new AtomicInteger();

    private InstanceBudget(int maxInstances) {
        if (maxInstances < 1) {
            throw new IllegalArgumentException("maxInstances must be at least 1, got " + maxInstances);
        }
        this.maxInstances = maxInstances;
    }

    /** At most {@code maxInstances} instances in all (first instances of each function excepted, see above). */
    public static InstanceBudget of(int maxInstances) {
        return new InstanceBudget(maxInstances);
    }

    /** No cap: for a single function in tests. */
    public static InstanceBudget unlimited() {
        return new InstanceBudget(Integer.MAX_VALUE);
    }

    public int maxInstances() {
        return maxInstances;
    }

    /** Instances counted now. */
    public int running() {
        return running.get();
    }

    /** A function's only instance: always granted. */
    void takeFirst() {
        running.incrementAndGet();
    }

    /** One more instance, if the cap allows it. */
    boolean tryTake() {
        while (true) {
            int now = running.get();
            if (now >= maxInstances) {
                return false;
            }
            if (running.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** An instance stopped (or failed to start). */
    void giveBack() {
        running.decrementAndGet();
    }
}
