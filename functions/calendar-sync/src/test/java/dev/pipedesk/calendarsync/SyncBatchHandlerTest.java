package dev.pipedesk.calendarsync;

import dev.pipedesk.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.QueuedMessage;
import dev.pipedesk.lambda.SqsBatchShell;
import dev.pipedesk.sync.SyncOutcome;
import dev.pipedesk.sync.SyncRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's batch handling with the sync service replaced by a double (its seam): one sync per
 * calendar per batch, and which messages go back. The sync itself is tested in libs/calendar-sync.
 */
class SyncBatchHandlerTest {
    /** The calendars of {@code events/sqs-fifo-event.json}: three requests for A, one for B (A, B, A, A). */
    private static final String A = "sales@pipedesk.example";
    private static final String B = "ceo-office@pipedesk.example";
    private static final List<String> A_MESSAGES = List.of("2e1f0a3b-7c4d-4e5f-8a9b-0c1d2e3f4a01",
            "2e1f0a3b-7c4d-4e5f-8a9b-0c1d2e3f4a03", "2e1f0a3b-7c4d-4e5f-8a9b-0c1d2e3f4a04");
    private static final String B_MESSAGE = "2e1f0a3b-7c4d-4e5f-8a9b-0c1d2e3f4a02";

    private final List<String> synced = new ArrayList<>();
    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.of(SyncBatchHandler.class.getName());
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    private static SyncOutcome outcome(String calendarId, SyncOutcome.Result result) {
        return new SyncOutcome(calendarId, SyncOutcome.Kind.INCREMENTAL, 1, 0, 1, 0, 0, 0, result,
                result == SyncOutcome.Result.SYNCED ? null : "because");
    }

    /** A sync double: records the calendar, answers by calendar (synced when not named). */
    private Function<String, SyncOutcome> syncAnswering(Map<String, SyncOutcome.Result> results) {
        return calendarId -> {
            synced.add(calendarId);
            return outcome(calendarId, results.getOrDefault(calendarId, SyncOutcome.Result.SYNCED));
        };
    }

    /** The fixture through the real shell, as Lambda invokes it; returns the failed message ids. */
    private static List<String> invokeWithFixture(SyncBatchHandler handler) throws IOException {
        try (InputStream event = SyncBatchHandlerTest.class.getResourceAsStream("/events/sqs-fifo-event.json")) {
            SQSBatchResponse response = new SqsBatchShell("calendar-sync", handler).apply(event);
            return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .toList();
        }
    }

    private static QueuedMessage request(String messageId, String calendarId, long number) {
        return new QueuedMessage(messageId, Json.write(SyncRequest.notification(calendarId, "channel-" + calendarId,
                number, Instant.parse("2026-03-01T12:00:00Z"))));
    }

    @Test
    void aBatchWithThreeRequestsForOneCalendarAndOneForAnotherSyncsEachCalendarOnce() throws IOException {
        List<String> failed = invokeWithFixture(new SyncBatchHandler(syncAnswering(Map.of())));

        assertThat(synced).containsExactly(A, B);
        assertThat(failed).isEmpty();
    }

    @Test
    void theRowsEachSyncCreatedUpdatedOrCancelledCountAsSyncChangesApplied() {
        dev.pipedesk.core.metrics.EmfMetrics metrics = new dev.pipedesk.core.metrics.EmfMetrics("test", line -> { },
                java.time.Clock.systemUTC());
        SyncBatchHandler handler = new SyncBatchHandler(calendarId -> new SyncOutcome(calendarId,
                SyncOutcome.Kind.INCREMENTAL, 1, calendarId.equals(A) ? 2 : 0, 3, 1, 7, 1, SyncOutcome.Result.SYNCED,
                null), metrics);

        handler.handle(List.of(request("m-1", A, 1), request("m-2", B, 1), request("m-3", A, 2)));

        assertThat(metrics.recorded()).containsEntry(dev.pipedesk.core.metrics.OperatorMetric.SYNC_CHANGES_APPLIED,
                (2L + 3 + 1) + (0 + 3 + 1));
    }

    @Test
    void aBatchThatChangedNothingCountsZero() {
        dev.pipedesk.core.metrics.EmfMetrics metrics = new dev.pipedesk.core.metrics.EmfMetrics("test", line -> { },
                java.time.Clock.systemUTC());

        new SyncBatchHandler(calendarId -> outcome(calendarId, SyncOutcome.Result.RETRY), metrics)
                .handle(List.of(new QueuedMessage("m-1", "not json")));

        assertThat(metrics.recorded()).containsEntry(dev.pipedesk.core.metrics.OperatorMetric.SYNC_CHANGES_APPLIED, 0L);
    }

    @Test
    void aSyncToRetryReportsExactlyThatCalendarsMessagesAsFailedInTheirOrder() throws IOException {
        List<String> failed = invokeWithFixture(new SyncBatchHandler(syncAnswering(Map.of(A, SyncOutcome.Result.RETRY))));

        assertThat(synced).containsExactly(A, B);
        assertThat(failed).containsExactlyElementsOf(A_MESSAGES);
    }

    @Test
    void aSyncThatThrowsIsRetriedLikeOneThatAsksForIt() throws IOException {
        SyncBatchHandler handler = new SyncBatchHandler(calendarId -> {
            synced.add(calendarId);
            if (calendarId.equals(B)) {
                throw new IllegalStateException("database gone");
            }
            return outcome(calendarId, SyncOutcome.Result.SYNCED);
        });

        assertThat(invokeWithFixture(handler)).containsExactly(B_MESSAGE);
        assertThat(synced).containsExactly(A, B);
    }

    @Test
    void aCalendarThatIsFailedOrNotSyncedIsDoneAndItsMessagesAreDeleted() throws IOException {
        List<String> failed = invokeWithFixture(new SyncBatchHandler(syncAnswering(Map.of(
                A, SyncOutcome.Result.FAILED, B, SyncOutcome.Result.NOT_SYNCED))));

        assertThat(failed).isEmpty();
    }

    @Test
    void unreadableBodiesAreFailedAndLoggedWithoutTheirContentAndTheOthersAreSynced() {
        List<QueuedMessage> batch = List.of(
                request("m-1", A, 1),
                new QueuedMessage("m-2", "{\"calendar_id\": secret-body-text"),
                new QueuedMessage("m-3", "{\"reason\":\"notification\",\"requested_at\":\"2026-03-01T12:00:00Z\"}"),
                new QueuedMessage("m-4", "null"),
                new QueuedMessage("m-5", Json.write(Map.of("calendar_id", " ", "reason", "backstop",
                        "requested_at", "2026-03-01T12:00:00Z"))),
                request("m-6", A, 2));

        List<String> failed = new SyncBatchHandler(syncAnswering(Map.of())).handle(batch);

        assertThat(failed).containsExactly("m-2", "m-3", "m-4", "m-5");
        assertThat(synced).containsExactly(A);
        assertThat(log.records()).filteredOn(r -> r.getMessage().contains("unreadable message")).hasSize(4)
                .allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("secret-body-text"));
    }

    @Test
    void requestsOfOneCalendarAreOneSyncWhateverTheirReason() {
        List<QueuedMessage> batch = List.of(
                request("m-1", A, 1),
                new QueuedMessage("m-2", Json.write(new SyncRequest(A, SyncRequest.Reason.BACKSTOP, null, null,
                        Instant.parse("2026-03-01T12:00:00Z")))),
                new QueuedMessage("m-3", Json.write(new SyncRequest(A, SyncRequest.Reason.FIRST_SYNC, "c", 1L,
                        Instant.parse("2026-03-01T12:00:00Z")))));

        assertThat(new SyncBatchHandler(syncAnswering(Map.of())).handle(batch)).isEmpty();
        assertThat(synced).containsExactly(A);
    }

    @Test
    void anEmptyBatchSyncsNothing() {
        assertThat(new SyncBatchHandler(syncAnswering(Map.of())).handle(List.of())).isEmpty();
        assertThat(synced).isEmpty();
    }
}
