package dev.pipedesk.local.schedule;

import dev.pipedesk.core.Json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The event EventBridge sends a function when a schedule rule fires. */
public final class ScheduledEvents {
    private ScheduledEvents() {
    }

    /**
     * {@code {"version":"0","id","detail-type":"Scheduled Event","source":"aws.events","account","time",
     * "region","resources":["arn:aws:events:<region>:<account>:rule/<rule>"],"detail":{}}}; {@code time}
     * is the scheduled time in whole seconds, as EventBridge sends it.
     */
    public static String event(String ruleName, Instant time, String region, String accountId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", accountId);
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.put("resources", List.of("arn:aws:events:" + region + ":" + accountId + ":rule/" + ruleName));
        event.put("detail", Map.of());
        return Json.write(event);
    }
}
