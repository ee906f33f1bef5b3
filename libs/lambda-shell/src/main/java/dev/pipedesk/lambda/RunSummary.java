package dev.pipedesk.lambda;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a scheduled run did: each job's summary under its name, in the order they ran, e.g.
 * {@code {"jobs":{"outbox_relay":{"sent":3,"failed":0,"remaining":0,"passes":1,"stopped":"drained"}}}}.
 */
public record RunSummary(@JsonProperty("jobs") Map<String, Record> jobs) {
    public RunSummary {
        jobs = Collections.unmodifiableMap(new LinkedHashMap<>(jobs));
    }
}
