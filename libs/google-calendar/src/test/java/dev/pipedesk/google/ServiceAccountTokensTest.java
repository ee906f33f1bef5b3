package dev.pipedesk.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.pipedesk.localaws.TestClock;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceAccountTokensTest {
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final AtomicInteger fetches = new AtomicInteger();
    private final CountDownLatch tokenEndpointAnswers = new CountDownLatch(1);
    private final GoogleCredentials credentials = credentials(false);
    private final ServiceAccountTokens tokens = new ServiceAccountTokens(credentials, clock);

    /** Credentials whose token endpoint answers at once, or (hanging) only once the test lets it. */
    private GoogleCredentials credentials(boolean hanging) {
        return new GoogleCredentials() {
            @Override
            public AccessToken refreshAccessToken() throws IOException {
                fetches.incrementAndGet();
                if (hanging) {
                    try {
                        tokenEndpointAnswers.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new AccessToken("token-" + fetches.get(), Date.from(clock.instant().plusSeconds(3600)));
            }
        };
    }

    private Instant in(Duration left) {
        return clock.instant().plus(left);
    }

    @Test
    void aMissingTokenIsFetchedAndAFreshOneIsKept() throws IOException {
        tokens.ensureFresh(in(Duration.ofSeconds(10)));
        tokens.ensureFresh(in(Duration.ofSeconds(10)));

        assertThat(fetches).hasValue(1);
        assertThat(credentials.getAccessToken().getTokenValue()).isEqualTo("token-1");
    }

    @Test
    void aRefusedTokenIsReplaced() throws IOException {
        tokens.ensureFresh(in(Duration.ofSeconds(10)));

        tokens.refresh(in(Duration.ofSeconds(10)));

        assertThat(credentials.getAccessToken().getTokenValue()).isEqualTo("token-2");
    }

    @Test
    void noFetchStartsWithoutTimeLeft() {
        assertThatThrownBy(() -> tokens.ensureFresh(clock.instant())).isInstanceOf(SocketTimeoutException.class);
        assertThat(fetches).hasValue(0);
    }

    @Test
    void aTokenEndpointThatDoesNotAnswerInTimeFailsTheAttemptByItsDeadline() {
        ServiceAccountTokens hanging = new ServiceAccountTokens(credentials(true), clock);
        try {
            assertThatThrownBy(() -> hanging.ensureFresh(in(Duration.ofMillis(50))))
                    .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("within 50 ms");
        } finally {
            tokenEndpointAnswers.countDown();
        }
    }
}
