package dev.pipedesk.lambda;

/**
 * One job of a scheduled function. {@link ScheduledShell} runs its jobs in order; each keeps to
 * its own time budget.
 */
public interface ScheduledJob {

    /** The job's key in the run's summary, snake_case. */
    String name();

    /**
     * Does the job's work.
     *
     * @return what it did, a record serialized as JSON into the run's summary
     * @throws RuntimeException when it failed; the run still runs the other jobs, then fails
     */
    Record run();
}
