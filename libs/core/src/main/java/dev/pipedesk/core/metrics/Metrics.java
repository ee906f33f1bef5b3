package dev.pipedesk.core.metrics;

/**
 * Where a service reports what operators watch ({@link OperatorMetric}), without knowing how it is
 * published: in a function, an {@link EmfMetrics} that the function's shell writes out once at the
 * end of each invocation; in a test, whatever the test inspects; elsewhere {@link #NONE}.
 */
public interface Metrics {

    /** Adds {@code value} to the metric's count of this invocation (0 is recorded too: "none this time"). */
    void count(OperatorMetric metric, long value);

    /** Sets the metric to {@code value}, a level observed now (e.g. calendars whose sync is failed). */
    void gauge(OperatorMetric metric, long value);

    /** Records nothing. */
    Metrics NONE = new Metrics() {
        @Override
        public void count(OperatorMetric metric, long value) {
        }

        @Override
        public void gauge(OperatorMetric metric, long value) {
        }
    };
}
