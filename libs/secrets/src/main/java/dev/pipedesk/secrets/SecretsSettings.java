package dev.pipedesk.secrets;

import dev.pipedesk.core.Env;
import java.time.Duration;
import java.util.List;

/**
 * How long a secret read from Secrets Manager is used before it is read again.
 *
 * @param cacheTtl {@code SECRETS_CACHE_TTL_SECONDS} (default 300): a rotated secret is taken up
 *                 within it (a database password at once: see {@code Databases})
 */
public record SecretsSettings(Duration cacheTtl) {

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable { SECRETS_CACHE_TTL_SECONDS }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(300);

    public SecretsSettings {
        if (cacheTtl == null || cacheTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(Variable.SECRETS_CACHE_TTL_SECONDS + " must be at least 1 second");
        }
    }

    public static SecretsSettings defaults() {
        return new SecretsSettings(DEFAULT_CACHE_TTL);
    }

    /** @throws IllegalStateException when the TTL is not an integer of at least 1 */
    public static SecretsSettings fromEnv(Env env) {
        int seconds = env.getInt(Variable.SECRETS_CACHE_TTL_SECONDS.name(), (int) DEFAULT_CACHE_TTL.toSeconds());
        if (seconds < 1) {
            throw new IllegalStateException(Variable.SECRETS_CACHE_TTL_SECONDS + " must be at least 1, got " + seconds);
        }
        return new SecretsSettings(Duration.ofSeconds(seconds));
    }
}
