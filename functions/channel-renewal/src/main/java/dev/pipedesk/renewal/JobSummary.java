package dev.pipedesk.renewal;

/** What a {@link ScheduledJob} did; one record per kind of job. */
public sealed interface JobSummary permits OutboxRelayJob.Summary {
}
