package dev.pipedesk.secrets;

import dev.pipedesk.core.Env;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * One function's secrets: where they are read from ({@link SecretSource}), how long they are
 * kept ({@link SecretsSettings}) and the clock. A settings record names a secret by ARN; the code
 * that uses it asks {@link #secret} for a {@link RefreshingSecret} and calls {@code get()} when it
 * needs the value — never while the function's context starts.
 *
 * <p><b>SnapStart:</b> {@link #forgetAll()} drops every cached secret value of this JVM; call it
 * after a restore (the function's CRaC {@code afterRestore}), so that a secret is read fresh and
 * never comes from the snapshot. Values are never read while the context starts, so a snapshot
 * normally holds none; this makes sure of it.
 */
public final class Secrets {
    private static final Set<RefreshingSecret<?>> ALL = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private final SecretSource source;
    private final SecretsSettings settings;
    private final Clock clock;

    public Secrets(SecretSource source, SecretsSettings settings, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Secrets Manager ({@link SecretsManagerSource#standard()}, whose SDK client is built at the
     * first read) with {@code SECRETS_CACHE_TTL_SECONDS} from {@code env}.
     */
    public static Secrets fromEnv(Env env) {
        return new Secrets(SecretsManagerSource.standard(), SecretsSettings.fromEnv(env), Clock.systemUTC());
    }

    /**
     * For code given only plain values: any secret asked of it fails at its first use, saying
     * that no secret source is configured.
     */
    public static Secrets none() {
        return new Secrets(arn -> {
            throw new SecretUnavailableException("Secret " + arn + " cannot be read: no secret source is configured");
        }, SecretsSettings.defaults(), Clock.systemUTC());
    }

    public SecretsSettings settings() {
        return settings;
    }

    /** The secret's plain string value. */
    public RefreshingSecret<String> secret(String arn) {
        return secret(arn, Function.identity());
    }

    /** The secret, parsed (and validated) by {@code parser} once per distinct value. */
    public <T> RefreshingSecret<T> secret(String arn, Function<String, T> parser) {
        return new RefreshingSecret<>(arn, source, parser, settings.cacheTtl(), clock);
    }

    static void register(RefreshingSecret<?> secret) {
        ALL.add(secret);
    }

    /**
     * Forgets every secret value cached in this JVM (every {@link RefreshingSecret#forget()}): the
     * SnapStart after-restore hook. The next use of each secret reads it again.
     */
    public static void forgetAll() {
        List<RefreshingSecret<?>> secrets;
        synchronized (ALL) {
            secrets = new ArrayList<>(ALL);
        }
        secrets.forEach(RefreshingSecret::forget);
    }
}
