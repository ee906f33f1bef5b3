package dev.pipedesk.local;

import dev.pipedesk.core.Json;
import dev.pipedesk.local.testing.Api;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import dev.pipedesk.localaws.LocalSqs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync infrastructure of the shared local stack: the FIFO sync queue and its DLQ, the webhook
 * route without authorizer, and {@code POST /_local/functions/{name}/invoke} running the
 * scheduled channel-renewal now.
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class SyncStackTest {

    @Test
    void runsTheFifoSyncQueueWithItsDeadLetterQueue(LocalStack stack) {
        LocalSqs sqs = stack.sqs();
        Map<QueueAttributeName, String> attributes = sqs.client().getQueueAttributes(r -> r.queueUrl(sqs.syncQueueUrl())
                .attributeNames(QueueAttributeName.ALL)).attributes();

        assertThat(sqs.syncQueueUrl()).isEqualTo(sqs.endpoint() + "/000000000000/pipedesk-calendar-sync.fifo");
        assertThat(attributes).containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
                .containsEntry(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false")
                .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT,
                        Long.toString(stack.options().sqs().visibilityTimeout().toSeconds()));
        assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY)).contains("pipedesk-calendar-sync-dlq.fifo");
        assertThat(stack.syncQueuePoller().isPresent()).as("a poller exactly when calendar-sync runs")
                .isEqualTo(stack.isRunning("calendar-sync"));
        stack.syncQueuePoller().ifPresent(poller -> assertThat(poller.settings().fifo()).isNotNull());
    }

    @Test
    void theBannerShowsTheSyncQueueTheWatchedCalendarsAndTheWebhookUrl(LocalStack stack) {
        String banner = Banner.ready(stack, 1_000);

        assertThat(banner)
                .contains(" Sync queue        " + stack.sqs().syncQueueUrl() + "  (FIFO")
                .contains(" Sync DLQ          " + stack.sqs().syncDeadLetterQueueUrl() + "  (FIFO, after 5 receives)")
                .contains(" Watched calendars primary  (GOOGLE_SYNC_CALENDARS unset: the calendars PipeDesk may write)")
                .contains(" Webhook           " + stack.apiBaseUrl() + "/webhooks/google-calendar  (")
                .contains("/_local/functions/channel-renewal/invoke");
    }

    @Test
    void googlesNotificationsReachTheWebhookRouteWithoutTheAuthorizer(LocalStack stack) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.apiBaseUrl() + "/webhooks/google-calendar"))
                .header("X-Goog-Channel-ID", "no-such-channel").header("X-Goog-Resource-State", "sync")
                .header("X-Goog-Message-Number", "1").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isNotEqualTo(401);
        if (!stack.isRunning("webhook")) {
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(Json.MAPPER.readTree(response.body()).at("/error/message").asString())
                    .contains("webhook function is not running");
        }
    }

    @Test
    void invokingChannelRenewalRunsItNowAndAnswersItsSummary(Api api) {
        LocalStackExtension.requireFunction("channel-renewal");

        ApiResponse response = api.anonymous().post("/_local/functions/channel-renewal/invoke", null);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.at("/jobs").isObject()).as(response.body()).isTrue();
        assertThat(response.at("/jobs/outbox_relay/stopped").isString()).as(response.body()).isTrue();
    }

    @Test
    void invokingAFunctionNoScheduleInvokesIs422AndAnUnknownOne404(Api api) {
        ApiResponse notScheduled = api.anonymous().post("/_local/functions/calendar/invoke", null);
        ApiResponse unknown = api.anonymous().post("/_local/functions/no-such-function/invoke", null);

        assertThat(notScheduled.status()).isEqualTo(422);
        assertThat(notScheduled.at("/error/message").asString()).contains("HTTP routes", "channel-renewal");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).contains("not_found");
    }
}
