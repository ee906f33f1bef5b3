package dev.pipedesk.emulator.calendar;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.calendar.model.Event;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@Tag("integration")
class FaultInjectionTest extends EmulatorTestSupport {

    @Test
    void failsTheNextCallsWithoutApplyingThem() throws Exception {
        control().failNext(2, 503, "backendError");
        String id = newId();

        GoogleJsonResponseException first = googleError(() -> insert(meeting("Try 1").setId(id)));
        GoogleJsonResponseException second = googleError(() -> insert(meeting("Try 2").setId(id)));
        Event third = insert(meeting("Try 3").setId(id));

        assertThat(first.getStatusCode()).isEqualTo(503);
        assertThat(firstError(first).getReason()).isEqualTo("backendError");
        assertThat(firstError(first).getDomain()).isEqualTo("global");
        assertThat(second.getStatusCode()).isEqualTo(503);
        assertThat(third.getSummary()).isEqualTo("Try 3");
        assertThat(control().events("primary")).hasSize(1);
    }

    @Test
    void failuresCanTargetAMethodAndPath() throws Exception {
        control().failNext(1, CallMatcher.of("PATCH", "/events/[a-v0-9]+$"), 429, "rateLimitExceeded");
        Event created = insert(meeting("Rate limited"));

        GoogleJsonResponseException error = googleError(() -> calendar.events()
                .patch("primary", created.getId(), new Event().setSummary("Too fast")).execute());
        Event retried = calendar.events().patch("primary", created.getId(), new Event().setSummary("Slower")).execute();

        assertThat(error.getStatusCode()).isEqualTo(429);
        assertThat(firstError(error).getDomain()).isEqualTo("usageLimits");
        assertThat(firstError(error).getMessage()).isEqualTo("Rate Limit Exceeded");
        assertThat(retried.getSummary()).isEqualTo("Slower");
    }

    @Test
    void anInjectedRateLimitCanSayWhenToRetry() {
        control().failNext(1, CallMatcher.anyApiCall(), 429, "rateLimitExceeded", null, Duration.ofSeconds(7));
        control().failNext(1, CallMatcher.anyApiCall(), 403, "userRateLimitExceeded", null, null);

        GoogleJsonResponseException withRetryAfter = googleError(() -> calendar.events().list("primary").execute());
        GoogleJsonResponseException without = googleError(() -> calendar.events().list("primary").execute());

        assertThat(withRetryAfter.getStatusCode()).isEqualTo(429);
        assertThat(withRetryAfter.getHeaders().getRetryAfter()).isEqualTo("7");
        assertThat(without.getStatusCode()).isEqualTo(403);
        assertThat(without.getHeaders().getRetryAfter()).isNull();
    }

    @Test
    void quotaErrorsCanBe403() {
        control().failNext(1, 403, "userRateLimitExceeded");

        GoogleJsonResponseException error = googleError(() -> calendar.events().list("primary").execute());

        assertThat(error.getStatusCode()).isEqualTo(403);
        assertThat(firstError(error).getReason()).isEqualTo("userRateLimitExceeded");
        assertThat(firstError(error).getDomain()).isEqualTo("usageLimits");
    }

    @Test
    void badGatewayIsAPlainHtmlPage() {
        control().failNext(1, 502, null);

        GoogleJsonResponseException error = googleError(() -> calendar.events().list("primary").execute());

        assertThat(error.getStatusCode()).isEqualTo(502);
        assertThat(error.getDetails()).isNull();
        assertThat(error.getHeaders().getContentType()).startsWith("text/html");
    }

    @Test
    void aDroppedResponseLooksLikeANetworkFailureButTheWriteHappened() throws Exception {
        control().dropResponseAfterCommit(1, CallMatcher.of("POST", "/events$"));
        String id = newId();

        Throwable failure = catchThrowable(() -> insert(meeting("Committed in the dark").setId(id)));
        GoogleJsonResponseException retry = googleError(() -> insert(meeting("Committed in the dark").setId(id)));

        assertThat(failure).isInstanceOf(IOException.class).isNotInstanceOf(GoogleJsonResponseException.class);
        assertThat(control().event("primary", id)).hasValueSatisfying(
                event -> assertThat(event.get("summary").asString()).isEqualTo("Committed in the dark"));
        assertThat(retry.getStatusCode()).isEqualTo(409);
        assertThat(control().calls("POST", "/calendars/.+/events$"))
                .extracting(ReceivedCall::status, ReceivedCall::responseDropped)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, true),
                        org.assertj.core.groups.Tuple.tuple(409, false));
    }

    @Test
    void clearedFaultsNoLongerApply() throws Exception {
        control().failNext(1, 500, "backendError");
        control().dropResponseAfterCommit(1);
        control().failNextAuth(1);

        control().clearFaults();

        assertThat(insert(meeting("Clean")).getId()).isNotNull();
    }

    @Test
    void gzippedAndPlainBodiesAreBothAccepted() throws Exception {
        Event gzipped = insert(meeting("Compressed"));
        var plainInsert = calendar.events().insert("primary", meeting("Plain"));
        plainInsert.setDisableGZipContent(true);
        Event plain = plainInsert.execute();

        assertThat(gzipped.getSummary()).isEqualTo("Compressed");
        assertThat(plain.getSummary()).isEqualTo("Plain");
        assertThat(control().calls("POST", "/events$")).extracting(c -> c.header("Content-Encoding"))
                .containsExactly("gzip", null);
    }
}
