package dev.pipedesk.renewal;

/**
 * One job of the scheduled run. The run executes its jobs in order; each keeps to its own time
 * budget. Today there is the outbox relay; channel renewal (new channel first, then stop the old
 * one) and the backstop incremental sync join as further jobs, ahead of the relay so that their
 * audit events leave in the same run.
 */
public interface ScheduledJob {

    /** The job's key in the run's summary, snake_case. */
    String name();

    /**
     * Does the job's work.
     *
     * @return what it did, serialized as JSON into the run's summary
     * @throws RuntimeException when it failed; the run still runs the other jobs, then fails
     */
    JobSummary run();
}
