package dev.pipedesk.infra;

import dev.pipedesk.core.Env;
import dev.pipedesk.auth.CorsSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What one stage (environment) of the deployment is made of, read from CDK context
 * ({@code -c key=value}, {@code cdk.json} or {@code CDK_CONTEXT_JSON}). Each key may be given for
 * one stage only by prefixing it with the stage's name and a dot ({@code -c prod.databaseUrl=...}),
 * which wins over the plain key. docs/deploy.md lists every key ({@link Key}).
 *
 * @param stage                      the stage's name (letters, digits, single hyphens; starts with a letter, ends with a letter or digit)
 * @param database                   where the data lives
 * @param corsAllowedOrigins         the browser origins allowed to call the API (same rules as the local stack's {@code CORS_ALLOWED_ORIGINS})
 * @param corsAllowCredentials       whether browsers may send credentials (never with {@code *})
 * @param throttleRatePerSecond      the API stage's steady-state request rate limit
 * @param throttleBurst              the API stage's burst limit
 * @param jwt                        how the authorizer verifies tokens
 * @param google                     Google Calendar access
 * @param customDomain               the API's public base URL when it is served under a custom domain (else the API's own URL)
 * @param alarmEmail                 an e-mail address subscribed to the alarm topic, if any
 * @param auditMaxConcurrency        the audit-writer event source mapping's maximum concurrency (database protection)
 * @param syncMaxConcurrency         the calendar-sync event source mapping's maximum concurrency
 * @param auditMaxAgeSeconds         the alarm threshold on the audit queue's oldest message
 * @param logRetentionDays           log retention of every log group
 * @param rateLimitUserPerMinute     {@code RATE_LIMIT_USER_PER_MINUTE} for the API functions, if set
 * @param retainData                 whether tables, queues, logs and the database survive a stack deletion
 * @param migrationRun               a value whose change makes the next deployment run the migrations again
 */
public record DeploymentSettings(
        String stage,
        Database database,
        List<String> corsAllowedOrigins,
        boolean corsAllowCredentials,
        int throttleRatePerSecond,
        int throttleBurst,
        Jwt jwt,
        Google google,
        Optional<String> customDomain,
        Optional<String> alarmEmail,
        int auditMaxConcurrency,
        int syncMaxConcurrency,
        int auditMaxAgeSeconds,
        int logRetentionDays,
        Optional<Integer> rateLimitUserPerMinute,
        boolean retainData,
        Optional<String> migrationRun) {

    /** Every context key the app reads (the names documented in docs/deploy.md). */
    public enum Key {
        stage, database, databaseUrl, databaseAdminSecretArn, natGateways, auroraMinCapacity, auroraMaxCapacity,
        deletionProtection, corsAllowedOrigins, corsAllowCredentials, throttleRate, throttleBurst,
        jwtHs256SecretArn, jwtJwksUrl, jwtIssuer, jwtAudience, jwtRoleClaims,
        googleServiceAccountSecretArn, googleImpersonateUser, googleCalendars, googleDefaultCalendar,
        googleSyncCalendars, customDomain, alarmEmail, auditMaxConcurrency, syncMaxConcurrency,
        auditMaxAgeSeconds, logRetentionDays, rateLimitUserPerMinute, retainData, migrationRun
    }

    public static final String DEFAULT_STAGE = "dev";
    public static final int DEFAULT_THROTTLE_RATE = 100;
    public static final int DEFAULT_THROTTLE_BURST = 200;
    public static final int DEFAULT_AUDIT_MAX_CONCURRENCY = 5;
    public static final int DEFAULT_SYNC_MAX_CONCURRENCY = 5;
    public static final int DEFAULT_AUDIT_MAX_AGE_SECONDS = 900;
    public static final int DEFAULT_LOG_RETENTION_DAYS = 30;
    public static final int DEFAULT_NAT_GATEWAYS = 1;
    public static final double DEFAULT_AURORA_MIN_CAPACITY = 0.5;
    public static final double DEFAULT_AURORA_MAX_CAPACITY = 4;

    private static final Pattern STAGE_NAME = Pattern.compile("(?=.{1,31}$)[A-Za-z](?:-?[A-Za-z0-9])*");
    private static final Pattern CREDENTIALS_IN_URL = Pattern.compile(
            "^[a-z:]+//[^/@?#]*@|[?&](user|password)=", Pattern.CASE_INSENSITIVE);

    /** Where PipeDesk's PostgreSQL is. */
    public sealed interface Database {
    }

    /**
     * A PostgreSQL the deployment does not own (e.g. Supabase).
     *
     * @param url            JDBC or libpq URL without credentials
     * @param adminSecretArn the owner's credentials, for the migration function only
     */
    public record ExistingDatabase(String url, String adminSecretArn) implements Database {
        public ExistingDatabase {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(adminSecretArn, "adminSecretArn");
        }
    }

    /**
     * Aurora PostgreSQL Serverless v2 in a VPC of the stack, behind RDS Proxy.
     *
     * @param natGateways        NAT gateways of the VPC (Google and the JWKS are on the internet)
     * @param minCapacity        the cluster's minimum ACUs
     * @param maxCapacity        the cluster's maximum ACUs
     * @param deletionProtection whether the cluster refuses deletion
     */
    public record AuroraDatabase(int natGateways, double minCapacity, double maxCapacity, boolean deletionProtection)
            implements Database {
    }

    /**
     * The authorizer's token verification: at least one of an HS256 secret and a JWKS URL. When
     * neither is given the stack generates an HS256 secret.
     */
    public record Jwt(Optional<String> hs256SecretArn, Optional<String> jwksUrl, Optional<String> issuer,
                      Optional<String> audience, Optional<String> roleClaims) {
    }

    /**
     * Google Calendar. Without a secret ARN the stack creates an empty secret to put the
     * service-account key into.
     */
    public record Google(Optional<String> serviceAccountSecretArn, Optional<String> impersonateUser,
                         Optional<String> calendars, Optional<String> defaultCalendar,
                         Optional<String> syncCalendars) {
    }

    /** The stage names of {@code -c stage=a,b}: one Stage each ({@value #DEFAULT_STAGE} when unset). */
    public static List<String> stageNames(Function<String, Object> context) {
        Object value = context.apply(Key.stage.name());
        String names = value == null || value.toString().isBlank() ? DEFAULT_STAGE : value.toString();
        List<String> stages = Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .distinct().toList();
        for (String stage : stages) {
            if (!STAGE_NAME.matcher(stage).matches()) {
                throw new IllegalArgumentException("context stage: '" + stage
                        + "' is not a stage name (a letter, then letters, digits or single hyphens, not ending in a hyphen; at most 31)");
            }
        }
        return stages;
    }

    /** The settings of one stage, from context; the message of a refusal names the key. */
    public static DeploymentSettings fromContext(String stage, Function<String, Object> context) {
        Lookup in = new Lookup(stage, context);
        String databaseKind = in.string(Key.database).orElse("existing").toLowerCase(Locale.ROOT);
        Database database = switch (databaseKind) {
            case "existing" -> {
                String url = in.string(Key.databaseUrl).orElseThrow(() -> in.missing(Key.databaseUrl,
                        "the PostgreSQL URL without credentials, e.g. jdbc:postgresql://host:5432/postgres"));
                if (CREDENTIALS_IN_URL.matcher(url).find()) {
                    throw new IllegalArgumentException("context " + Key.databaseUrl
                            + " must not hold credentials: they come from the secrets (databaseAdminSecretArn and the generated logins)");
                }
                String admin = in.string(Key.databaseAdminSecretArn).orElseThrow(() -> in.missing(
                        Key.databaseAdminSecretArn, "the ARN of a Secrets Manager secret {\"username\",\"password\"} of the database owner"));
                yield new ExistingDatabase(url, requireArn(Key.databaseAdminSecretArn, admin));
            }
            case "aurora" -> new AuroraDatabase(
                    in.integer(Key.natGateways, DEFAULT_NAT_GATEWAYS, 1),
                    in.decimal(Key.auroraMinCapacity, DEFAULT_AURORA_MIN_CAPACITY),
                    in.decimal(Key.auroraMaxCapacity, DEFAULT_AURORA_MAX_CAPACITY),
                    in.bool(Key.deletionProtection, true));
            default -> throw new IllegalArgumentException("context " + Key.database + " must be existing or aurora, got " + databaseKind);
        };

        String origins = in.string(Key.corsAllowedOrigins).orElse("");
        List<String> allowed = CorsSettings.fromEnv(new Env(Map.of(
                CorsSettings.Variable.CORS_ALLOWED_ORIGINS.name(), origins))).allowedOrigins();
        boolean credentials = in.bool(Key.corsAllowCredentials, false);
        if (credentials && allowed.contains("*")) {
            throw new IllegalArgumentException("context " + Key.corsAllowedOrigins + " may not hold * when "
                    + Key.corsAllowCredentials + " is true: list the origins explicitly");
        }

        Jwt jwt = new Jwt(in.string(Key.jwtHs256SecretArn).map(arn -> requireArn(Key.jwtHs256SecretArn, arn)),
                in.string(Key.jwtJwksUrl), in.string(Key.jwtIssuer), in.string(Key.jwtAudience),
                in.string(Key.jwtRoleClaims));
        if (jwt.jwksUrl().isPresent() && (jwt.issuer().isEmpty() || jwt.audience().isEmpty())) {
            throw new IllegalArgumentException("context " + Key.jwtJwksUrl + " needs " + Key.jwtIssuer + " and "
                    + Key.jwtAudience + " (the authorizer does not start without them)");
        }
        Google google = new Google(
                in.string(Key.googleServiceAccountSecretArn).map(arn -> requireArn(Key.googleServiceAccountSecretArn, arn)),
                in.string(Key.googleImpersonateUser), in.string(Key.googleCalendars),
                in.string(Key.googleDefaultCalendar), in.string(Key.googleSyncCalendars));
        Optional<String> customDomain = in.string(Key.customDomain).map(domain -> {
            String url = domain.contains("://") ? domain : "https://" + domain;
            if (!url.startsWith("https://")) {
                throw new IllegalArgumentException("context " + Key.customDomain + " must be https (Google posts only to https)");
            }
            return url.replaceAll("/+$", "");
        });
        return new DeploymentSettings(stage, database, allowed, credentials,
                in.integer(Key.throttleRate, DEFAULT_THROTTLE_RATE, 1),
                in.integer(Key.throttleBurst, DEFAULT_THROTTLE_BURST, 1),
                jwt, google, customDomain, in.string(Key.alarmEmail),
                in.integer(Key.auditMaxConcurrency, DEFAULT_AUDIT_MAX_CONCURRENCY, 2),
                in.integer(Key.syncMaxConcurrency, DEFAULT_SYNC_MAX_CONCURRENCY, 2),
                in.integer(Key.auditMaxAgeSeconds, DEFAULT_AUDIT_MAX_AGE_SECONDS, 60),
                in.integer(Key.logRetentionDays, DEFAULT_LOG_RETENTION_DAYS, 1),
                in.string(Key.rateLimitUserPerMinute).map(value -> in.integer(Key.rateLimitUserPerMinute, 0, 0)),
                in.bool(Key.retainData, true),
                in.string(Key.migrationRun));
    }

    private static String requireArn(Key key, String value) {
        if (!value.startsWith("arn:")) {
            throw new IllegalArgumentException("context " + key + " must be a Secrets Manager secret ARN (arn:...), got " + value);
        }
        return value;
    }

    /** Reads {@code <stage>.<key>}, else {@code <key>}; blank counts as unset. */
    private record Lookup(String stage, Function<String, Object> context) {

        Optional<String> string(Key key) {
            for (String name : List.of(stage + "." + key.name(), key.name())) {
                Object value = context.apply(name);
                if (value != null && !value.toString().isBlank()) {
                    return Optional.of(value.toString().trim());
                }
            }
            return Optional.empty();
        }

        int integer(Key key, int fallback, int minimum) {
            Optional<String> value = string(key);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed < minimum) {
                    throw new IllegalArgumentException("context " + key + " must be at least " + minimum + ", got " + parsed);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context " + key + " must be a whole number, got " + value.get());
            }
        }

        double decimal(Key key, double fallback) {
            Optional<String> value = string(key);
            try {
                return value.map(Double::parseDouble).orElse(fallback);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context " + key + " must be a number, got " + value.get());
            }
        }

        boolean bool(Key key, boolean fallback) {
            Optional<String> value = string(key);
            if (value.isEmpty()) {
                return fallback;
            }
            return switch (value.get().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("context " + key + " must be true or false, got " + value.get());
            };
        }

        IllegalArgumentException missing(Key key, String what) {
            List<String> names = new ArrayList<>(List.of(key.name(), stage + "." + key.name()));
            return new IllegalArgumentException("context " + names.getFirst() + " is required with database="
                    + "existing: " + what + " (-c " + key + "=... or -c " + names.getLast() + "=...)");
        }
    }
}
