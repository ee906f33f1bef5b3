package dev.pipedesk.renewal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a scheduled run did, e.g. {@code {"jobs":{"outbox_relay":{"sent":3,"failed":0,
 * "remaining":0,"passes":1,"stopped":"drained"}}}}.
 */
public record RunSummary(@JsonProperty("jobs") Map<String, JobSummary> jobs) {
    public RunSummary {
        jobs = Collections.unmodifiableMap(new LinkedHashMap<>(jobs));
    }
}
