package dev.pipedesk.lambda;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.metrics.EmfMetrics;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shell of a scheduled function: an EventBridge scheduled event in, every
 * {@link ScheduledJob} run in order, a JSON {@link RunSummary} out. A failing job does not stop
 * the others; the invocation fails after all ran, so the failure shows in the function's error
 * metric (and its alarm). Nothing in the event changes what runs: it is only logged.
 */
public final class ScheduledShell extends LambdaShell<RunSummary> {
    private static final Logger LOG = Logger.getLogger(ScheduledShell.class.getName());

    private final List<ScheduledJob> jobs;
    private final EventReader<ScheduledEvent> events = new EventReader<>(ScheduledEvent.class, LOG, Level.INFO,
            "Scheduled run started by an event that is not a scheduled event");

    public ScheduledShell(List<ScheduledJob> jobs) {
        this(jobs, null);
    }

    /** @param metrics what the jobs record, published at the end of each run, also a failed one (or null) */
    public ScheduledShell(List<ScheduledJob> jobs, EmfMetrics metrics) {
        super(metrics);
        this.jobs = List.copyOf(jobs);
    }

    @Override
    public RunSummary apply(InputStream rawEvent) {
        events.read(rawEvent).ifPresent(event -> LOG.info(() -> "Scheduled run started by scheduled event id="
                + event.getId() + " time=" + event.getTime() + " resources=" + event.getResources()));
        Map<String, Record> summaries = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        for (ScheduledJob job : jobs) {
            try {
                summaries.put(job.name(), job.run());
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Scheduled job " + job.name() + " failed", e);
                failed.add(job.name());
            }
        }
        RunSummary summary = new RunSummary(summaries);
        LOG.info(() -> "Scheduled run finished: " + Json.write(summary));
        if (!failed.isEmpty()) {
            throw new IllegalStateException("Scheduled job(s) failed: " + String.join(", ", failed));
        }
        return summary;
    }
}
