package dev.pipedesk.renewal;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.pipedesk.core.Json;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduled Lambda's shell: an EventBridge scheduled event in (the raw stream, parsed with
 * the Lambda runtime's serializer), every {@link ScheduledJob} run in order, a JSON summary out.
 * A failing job does not stop the others; the invocation fails after all ran, so the failure
 * shows in the function's error metric (and its alarm). Nothing in the event changes what runs.
 */
public final class ScheduledRun implements Function<InputStream, RunSummary> {
    private static final Logger LOG = Logger.getLogger(ScheduledRun.class.getName());

    private final List<ScheduledJob> jobs;
    private final PojoSerializer<ScheduledEvent> events;

    public ScheduledRun(List<ScheduledJob> jobs) {
        this.jobs = List.copyOf(jobs);
        this.events = LambdaEventSerializers.serializerFor(ScheduledEvent.class, ScheduledRun.class.getClassLoader());
    }

    @Override
    public RunSummary apply(InputStream rawEvent) {
        LOG.info(() -> "Scheduled run started by " + describe(rawEvent));
        Map<String, JobSummary> summaries = new LinkedHashMap<>();
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

    private String describe(InputStream rawEvent) {
        try {
            ScheduledEvent event = events.fromJson(rawEvent);
            return "scheduled event id=" + event.getId() + " time=" + event.getTime() + " resources=" + event.getResources();
        } catch (RuntimeException e) {
            return "an event that is not a scheduled event (" + e.getClass().getSimpleName() + ")";
        }
    }
}
