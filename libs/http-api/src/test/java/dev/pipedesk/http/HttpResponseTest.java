package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorBody;
import dev.pipedesk.core.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpResponseTest {

    @Test
    void anErrorThatSaysWhenToRetryCarriesRetryAfterInWholeSecondsRoundedUp() {
        HttpResponse response = HttpResponse.error(new ApiException(ErrorCode.UPSTREAM_RATE_LIMITED,
                "Google Calendar is rate-limiting us.", null, Duration.ofMillis(2_100)));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "3");
        assertThat(((ErrorBody) response.body()).error().code()).isEqualTo("upstream_rate_limited");
    }

    @Test
    void aRetryAfterBelowASecondIsSentAsOneSecond() {
        HttpResponse response = HttpResponse.error(new ApiException(ErrorCode.UPSTREAM_RATE_LIMITED, "m", null,
                Duration.ZERO));

        assertThat(response.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void anErrorWithoutRetryAfterHasNoSuchHeader() {
        assertThat(HttpResponse.error(ApiException.notFound("No such meeting")).headers()).isEmpty();
    }
}
