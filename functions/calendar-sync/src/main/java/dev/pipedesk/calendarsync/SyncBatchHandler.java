package dev.pipedesk.calendarsync;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.metrics.Metrics;
import dev.pipedesk.core.metrics.OperatorMetric;
import dev.pipedesk.lambda.QueueBatchHandler;
import dev.pipedesk.lambda.QueuedMessage;
import dev.pipedesk.sync.SyncOutcome;
import dev.pipedesk.sync.SyncRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sync worker's service, behind {@code SqsBatchShell}: one batch of the FIFO sync queue
 * (group = calendar) in, the messages to hand back out.
 * <ul>
 *   <li>The messages are grouped by calendar, in the order they came; each calendar is synced
 *       <b>once</b> per batch, however many notifications asked for it (a sync reads every change
 *       since the stored token, so one covers them all).</li>
 *   <li>When that sync should be retried ({@link SyncOutcome#shouldRetry()}) or throws, every
 *       message of that calendar in the batch is reported failed: SQS hands them back, in their
 *       order, and the group waits for them (no later request of that calendar overtakes them).
 *       A calendar that is failed or not synced ({@code not_synced}, {@code failed}) is done: its
 *       messages are deleted.</li>
 *   <li>A body that is not a sync request is reported failed too and logged with its message id
 *       (not its content): after the queue's receive limit it is in the dead-letter queue.</li>
 * </ul>
 * The rows each sync created, updated or cancelled in the mirror count as
 * {@link OperatorMetric#SYNC_CHANGES_APPLIED} (0 for a batch that changed nothing).
 */
public final class SyncBatchHandler implements QueueBatchHandler {
    private static final Logger LOG = Logger.getLogger(SyncBatchHandler.class.getName());

    private final Function<String, SyncOutcome> sync;
    private final Metrics metrics;

    /** @param sync {@code CalendarSync::sync}: syncs one calendar (canonical id) */
    public SyncBatchHandler(Function<String, SyncOutcome> sync) {
        this(sync, Metrics.NONE);
    }

    /**
     * @param sync    {@code CalendarSync::sync}: syncs one calendar (canonical id)
     * @param metrics where the changes applied are counted
     */
    public SyncBatchHandler(Function<String, SyncOutcome> sync, Metrics metrics) {
        this.sync = Objects.requireNonNull(sync, "sync");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public List<String> handle(List<QueuedMessage> messages) {
        Set<String> failed = new HashSet<>();
        Map<String, List<String>> byCalendar = new LinkedHashMap<>();
        for (QueuedMessage message : messages) {
            String calendarId = calendarOf(message);
            if (calendarId == null) {
                failed.add(message.messageId());
            } else {
                byCalendar.computeIfAbsent(calendarId, id -> new ArrayList<>()).add(message.messageId());
            }
        }
        int retried = 0;
        metrics.count(OperatorMetric.SYNC_CHANGES_APPLIED, 0);
        for (Map.Entry<String, List<String>> calendar : byCalendar.entrySet()) {
            if (!syncOnce(calendar.getKey(), calendar.getValue().size())) {
                failed.addAll(calendar.getValue());
                retried++;
            }
        }
        int calendarsToRetry = retried;
        LOG.info(() -> "calendar-sync batch: messages=" + messages.size() + " calendars=" + byCalendar.size()
                + " retried=" + calendarsToRetry + " failed=" + failed.size());
        return messages.stream().map(QueuedMessage::messageId).filter(failed::contains).toList();
    }

    /** Syncs the calendar; false when its requests should come back. */
    private boolean syncOnce(String calendarId, int requests) {
        SyncOutcome outcome;
        try {
            outcome = sync.apply(calendarId);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "calendar-sync: the sync of " + calendarId + " failed; its " + requests
                    + " request(s) go back to the queue", e);
            return false;
        }
        metrics.count(OperatorMetric.SYNC_CHANGES_APPLIED,
                (long) outcome.created() + outcome.updated() + outcome.cancelled());
        LOG.info(() -> "calendar-sync: calendar=" + calendarId + " requests=" + requests + " outcome="
                + Json.write(outcome));
        if (outcome.shouldRetry()) {
            LOG.warning(() -> "calendar-sync: the sync of " + calendarId + " is to be retried (" + outcome.detail()
                    + "); its " + requests + " request(s) go back to the queue");
            return false;
        }
        return true;
    }

    /** The calendar the message asks to sync, or null (logged) when its body is not a sync request. */
    private static String calendarOf(QueuedMessage message) {
        SyncRequest request;
        try {
            request = message.body() == null ? null : Json.MAPPER.readValue(message.body(), SyncRequest.class);
        } catch (RuntimeException e) {
            LOG.warning(() -> "calendar-sync: unreadable message messageId=" + message.messageId() + " ("
                    + e.getClass().getSimpleName() + "); reported failed, it reaches the DLQ after the receive limit");
            return null;
        }
        if (request == null || request.calendarId().isBlank()) {
            LOG.warning(() -> "calendar-sync: unreadable message messageId=" + message.messageId()
                    + " (no calendar); reported failed, it reaches the DLQ after the receive limit");
            return null;
        }
        return request.calendarId();
    }
}
