package dev.pipedesk.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.localaws.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefreshingSecretTest {
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipedesk/jwt-AbCdEf";
    private static final Duration TTL = Duration.ofSeconds(300);

    private final TestClock clock = new TestClock(Instant.parse("2026-06-01T10:00:00Z"));
    private final CountingSource source = new CountingSource().put(ARN, "first-value");
    private final Secrets secrets = new Secrets(source, new SecretsSettings(TTL), clock);

    @Test
    void neverReadsTheSecretWhenCreated() {
        secrets.secret(ARN);

        assertThat(source.reads()).isZero();
    }

    @Test
    void readsTheSecretAtFirstUseAndKeepsItForTheTtl() {
        RefreshingSecret<String> secret = secrets.secret(ARN);

        assertThat(secret.get()).isEqualTo("first-value");
        clock.advance(TTL.minusSeconds(1));
        assertThat(secret.get()).isEqualTo("first-value");

        assertThat(source.reads()).isEqualTo(1);
    }

    @Test
    void readsTheSecretAgainAfterTheTtlAndTakesUpARotatedValue() {
        RefreshingSecret<String> secret = secrets.secret(ARN);
        secret.get();
        source.put(ARN, "rotated-value");

        assertThat(secret.get()).isEqualTo("first-value");
        clock.advance(TTL);

        assertThat(secret.get()).isEqualTo("rotated-value");
        assertThat(source.reads()).isEqualTo(2);
    }

    @Test
    void invalidateMakesTheNextUseReadAgainAtOnce() {
        RefreshingSecret<String> secret = secrets.secret(ARN);
        secret.get();
        source.put(ARN, "rotated-value");

        secret.invalidate();

        assertThat(secret.get()).isEqualTo("rotated-value");
        assertThat(secret.get()).isEqualTo("rotated-value");
        assertThat(source.reads()).isEqualTo(2);
    }

    @Test
    void forgetAllDropsEveryCachedValueForTheNextUseToReadAfresh() {
        RefreshingSecret<String> secret = secrets.secret(ARN);
        AtomicInteger parses = new AtomicInteger();
        RefreshingSecret<Integer> parsed = secrets.secret(ARN, value -> parses.incrementAndGet());
        secret.get();
        parsed.get();

        Secrets.forgetAll();

        assertThat(source.reads()).isEqualTo(2);
        secret.get();
        parsed.get();
        assertThat(source.reads()).isEqualTo(4);
        assertThat(parses).hasValue(2);
    }

    @Test
    void parsesEachDistinctValueOnce() {
        AtomicInteger parses = new AtomicInteger();
        RefreshingSecret<String> secret = secrets.secret(ARN, value -> {
            parses.incrementAndGet();
            return value.toUpperCase();
        });

        assertThat(secret.get()).isEqualTo("FIRST-VALUE");
        clock.advance(TTL);
        assertThat(secret.get()).isEqualTo("FIRST-VALUE");
        assertThat(parses).hasValue(1);

        source.put(ARN, "second");
        clock.advance(TTL);
        assertThat(secret.get()).isEqualTo("SECOND");
        assertThat(parses).hasValue(2);
    }

    @Test
    void anUnusableValueFailsClosedWithoutNamingTheValueAndIsNotAskedForOnEveryUse() {
        source.put(ARN, "too-short");
        RefreshingSecret<String> secret = secrets.secret(ARN, value -> {
            if (value.length() < 32) {
                throw new IllegalArgumentException("must be at least 32 bytes long");
            }
            return value;
        });

        assertThatThrownBy(secret::get).isInstanceOf(SecretUnavailableException.class)
                .hasMessageContaining(ARN).hasMessageContaining("at least 32 bytes").hasMessageNotContaining("too-short");
        assertThatThrownBy(secret::get).isInstanceOf(SecretUnavailableException.class);
        assertThat(source.reads()).isEqualTo(1);

        source.put(ARN, "a-secret-that-is-long-enough-0123456789");
        clock.advance(RefreshingSecret.RETRY_AFTER_FAILURE);
        assertThat(secret.get()).isEqualTo("a-secret-that-is-long-enough-0123456789");
    }

    @Test
    void aRotatedValueThatIsUnusableIsNeverReplacedByTheOldOne() {
        RefreshingSecret<String> secret = secrets.secret(ARN, value -> {
            if (value.isBlank()) {
                throw new IllegalArgumentException("is blank");
            }
            return value;
        });
        secret.get();
        source.put(ARN, " ");
        clock.advance(TTL);

        assertThatThrownBy(secret::get).isInstanceOf(SecretUnavailableException.class).hasMessageContaining("is blank");
    }

    @Test
    void anUnknownSecretFailsAtFirstUse() {
        RefreshingSecret<String> secret = secrets.secret("arn:aws:secretsmanager:eu-west-1:123456789012:secret:nope");

        assertThatThrownBy(secret::get).isInstanceOf(SecretUnavailableException.class)
                .hasMessageContaining("ResourceNotFoundException");
    }

    @Test
    void keepsTheValueReadLastWhileTheSourceCannotBeReachedAndAsksAgainLater() {
        RefreshingSecret<String> secret = secrets.secret(ARN);
        secret.get();
        source.unreachable(true);
        clock.advance(TTL);

        assertThat(secret.get()).isEqualTo("first-value");
        assertThat(secret.get()).isEqualTo("first-value");
        assertThat(source.reads()).isEqualTo(2);

        source.unreachable(false);
        source.put(ARN, "rotated-value");
        clock.advance(RefreshingSecret.RETRY_AFTER_FAILURE);
        assertThat(secret.get()).isEqualTo("rotated-value");
    }

    @Test
    void neverPrintsTheValue() {
        RefreshingSecret<String> secret = secrets.secret(ARN);
        secret.get();

        assertThat(secret.toString()).contains(ARN).doesNotContain("first-value");
    }

    @Test
    void noneFailsAtFirstUseSayingThatNoSourceIsConfigured() {
        RefreshingSecret<String> secret = Secrets.none().secret(ARN);

        assertThatThrownBy(secret::get).isInstanceOf(SecretUnavailableException.class)
                .hasMessageContaining("no secret source is configured");
    }
}
