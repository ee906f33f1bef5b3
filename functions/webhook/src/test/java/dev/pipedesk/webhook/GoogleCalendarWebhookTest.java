package dev.pipedesk.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.state.RateLimitDecision;
import dev.pipedesk.state.RateLimitSubject;
import dev.pipedesk.state.RateLimiter;
import dev.pipedesk.sync.PushNotification;
import dev.pipedesk.sync.SyncRequest;
import dev.pipedesk.sync.Verdict;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The webhook's shell with the gate's verdict given (the gate itself is tested on PostgreSQL and
 * ElasticMQ in libs/calendar-sync): how the payload 2.0 event is read, each verdict's answer, and
 * the per-IP limit on failed verifications.
 */
class GoogleCalendarWebhookTest {
    private static final String SOURCE_IP = "66.102.8.91";

    private final List<PushNotification> seen = new ArrayList<>();
    private final List<RateLimitSubject> counted = new ArrayList<>();

    private static APIGatewayV2HTTPEvent fixture() {
        return EventLoader.loadApiGatewayHttpEvent("events/google-calendar-notification.json");
    }

    private Function<PushNotification, Verdict> answering(Verdict verdict) {
        return notification -> {
            seen.add(notification);
            return verdict;
        };
    }

    private RateLimiter counting(RateLimitDecision decision) {
        return subject -> {
            counted.add(subject);
            return decision;
        };
    }

    private APIGatewayV2HTTPResponse send(Verdict verdict) {
        return new GoogleCalendarWebhook(answering(verdict), counting(RateLimitDecision.ALLOWED)).apply(fixture());
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) {
        return Json.MAPPER.readTree(response.getBody());
    }

    private static void assertError(APIGatewayV2HTTPResponse response, int status, String code) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
        JsonNode error = body(response).get("error");
        assertThat(error.propertyNames()).containsExactlyInAnyOrder("code", "message", "details");
        assertThat(error.get("code").asString()).isEqualTo(code);
        assertThat(error.get("message").asString()).isNotBlank();
    }

    @Test
    void readsTheGoogleHeadersAndTheSourceIpOfThePayloadV2Event() {
        send(new Verdict.Ignored("unknown channel"));

        assertThat(seen).singleElement().isEqualTo(new PushNotification("5f2b8c1e-3d4a-4b6f-9a7e-0c1d2e3f4a5b",
                "placeholder-channel-token", "ret08u3rv24htgh289g", "exists", "437291", SOURCE_IP));
    }

    @Test
    void readsTheEventFromTheRawStreamAsLambdaPassesIt() {
        var webhook = new GoogleCalendarWebhook(answering(new Verdict.Ignored("unknown channel")), RateLimiter.OFF);

        APIGatewayV2HTTPResponse response = webhook.apply(new ByteArrayInputStream(
                LambdaEventJson.write(fixture()).getBytes(StandardCharsets.UTF_8)));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(seen).singleElement().extracting(PushNotification::channelId)
                .isEqualTo("5f2b8c1e-3d4a-4b6f-9a7e-0c1d2e3f4a5b");
    }

    @Test
    void aMissingHeaderReachesTheGateAsAbsent() {
        APIGatewayV2HTTPEvent event = fixture();
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.remove("x-goog-channel-token");
        headers.put("x-goog-resource-id", "  ");
        event.setHeaders(headers);

        new GoogleCalendarWebhook(answering(new Verdict.Unauthenticated("token missing")), RateLimiter.OFF).apply(event);

        assertThat(seen).singleElement().satisfies(notification -> {
            assertThat(notification.token()).isNull();
            assertThat(notification.resourceId()).isNull();
        });
    }

    @Test
    void acceptedNotificationsAnswer200WithTheirResultAndAreNeverCounted() {
        SyncRequest request = SyncRequest.notification("sales@pipedesk.example", "c-1", 7, Instant.EPOCH);
        Map<Verdict, String> results = Map.of(
                new Verdict.Ignored("unknown channel"), "ignored",
                new Verdict.Acknowledged(null), "acknowledged",
                new Verdict.Enqueued(request), "enqueued");

        results.forEach((verdict, result) -> {
            APIGatewayV2HTTPResponse response = send(verdict);
            assertThat(response.getStatusCode()).as(result).isEqualTo(200);
            assertThat(body(response)).isEqualTo(Json.MAPPER.readTree("{\"result\":\"" + result + "\"}"));
        });
        assertThat(counted).isEmpty();
    }

    @Test
    void failedVerificationsAnswerTheErrorEnvelopeAndAreCountedAgainstTheSourceIp() {
        assertError(send(new Verdict.Malformed("message number missing")), 400, "bad_request");
        assertError(send(new Verdict.Unauthenticated("token missing")), 401, "unauthorized");
        assertError(send(new Verdict.Forbidden("token mismatch")), 403, "forbidden");

        assertThat(counted).containsExactly(new RateLimitSubject.SourceIp(SOURCE_IP),
                new RateLimitSubject.SourceIp(SOURCE_IP), new RateLimitSubject.SourceIp(SOURCE_IP));
    }

    @Test
    void theRefusalNamesNeitherTheTokenNorWhatMismatched() {
        APIGatewayV2HTTPResponse response = send(new Verdict.Forbidden("resource id mismatch (got x)"));

        assertThat(response.getBody()).doesNotContain("placeholder-channel-token").doesNotContain("resource id mismatch");
    }

    @Test
    void ourOwnTransientFailureAnswers503SoThatGoogleRetries() {
        APIGatewayV2HTTPResponse response = send(new Verdict.RetryLater("queue: down"));

        assertError(response, 503, "service_unavailable");
        assertThat(counted).isEmpty();
    }

    @Test
    void anUnexpectedFailureAnswers500WithoutItsText() {
        var webhook = new GoogleCalendarWebhook(notification -> {
            throw new IllegalStateException("secret internals");
        }, RateLimiter.OFF);

        APIGatewayV2HTTPResponse response = webhook.apply(fixture());

        assertError(response, 500, "internal_error");
        assertThat(response.getBody()).doesNotContain("secret internals");
    }

    @Test
    void aSourceIpOverItsLimitOfFailedVerificationsGets429() {
        var webhook = new GoogleCalendarWebhook(answering(new Verdict.Forbidden("token mismatch")),
                counting(new RateLimitDecision.Refused(Duration.ofMillis(14_200))));

        APIGatewayV2HTTPResponse response = webhook.apply(fixture());

        assertError(response, 429, "rate_limited");
        assertThat(response.getHeaders()).containsEntry("retry-after", "15");
    }

    @Test
    void aVerifiedNotificationIsServedEvenWhenItsSourceIpIsOverTheLimit() {
        var webhook = new GoogleCalendarWebhook(answering(new Verdict.Enqueued(
                SyncRequest.notification("sales@pipedesk.example", "c-1", 7, Instant.EPOCH))),
                counting(new RateLimitDecision.Refused(Duration.ofSeconds(30))));

        assertThat(webhook.apply(fixture()).getStatusCode()).isEqualTo(200);
        assertThat(counted).isEmpty();
    }

    @Test
    void anotherRouteIs404AndNeverReachesTheGate() {
        APIGatewayV2HTTPEvent event = fixture();
        event.setRouteKey("POST /api/calendar/events");

        APIGatewayV2HTTPResponse response = new GoogleCalendarWebhook(answering(new Verdict.Ignored("x")),
                RateLimiter.OFF).apply(event);

        assertError(response, 404, "not_found");
        assertThat(seen).isEmpty();
    }

    @Test
    void anUnreadableEventIs400() {
        var webhook = new GoogleCalendarWebhook(answering(new Verdict.Ignored("x")), RateLimiter.OFF);

        APIGatewayV2HTTPResponse response = webhook.apply(new ByteArrayInputStream(
                "{\"headers\": [1, 2".getBytes(StandardCharsets.UTF_8)));

        assertError(response, 400, "bad_request");
        assertThat(seen).isEmpty();
    }
}
