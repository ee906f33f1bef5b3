package dev.pipedesk.state;

import dev.pipedesk.core.Env;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Fixed one-minute windows counted in DynamoDB: one {@code UpdateItem} per request adds 1 to
 * the subject's counter of the current window, on condition that the counter is still below the
 * limit; a failed condition is a refusal until the window ends. Every item carries its TTL
 * ({@link RateLimitTable#EXPIRES_AT}, a minute after its window), so the table cleans itself.
 *
 * <p>Fail open: when DynamoDB cannot be reached, answers an error, or is slow (the client gives
 * a call {@value #CALL_TIMEOUT_MILLIS} ms, without retries), the request is allowed and a
 * warning is logged; an outage costs each request at most that long, never the request itself.
 */
public final class DynamoDbRateLimiter implements RateLimiter {
    private static final Logger LOG = Logger.getLogger(DynamoDbRateLimiter.class.getName());
    /** Time per DynamoDB call (connect included); no retries. */
    public static final long CALL_TIMEOUT_MILLIS = 200;
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(3);

    private final DynamoDbClient dynamoDb;
    private final RateLimitSettings settings;
    private final Clock clock;

    public DynamoDbRateLimiter(DynamoDbClient dynamoDb, RateLimitSettings settings, Clock clock) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings.table(), "settings.table");
    }

    /**
     * The limiter a function's wiring uses: {@link RateLimitSettings#fromEnv}; {@link RateLimiter#OFF}
     * when no table is set or every limit is 0 (logged once), else a limiter on a client of
     * {@link #client} (credentials from the SDK's default chain: the Lambda role), warmed up with one
     * read so the first request does not pay the SDK's start.
     */
    public static RateLimiter fromEnv(Env env) {
        RateLimitSettings settings = RateLimitSettings.fromEnv(env);
        if (!settings.isEnabled()) {
            LOG.warning(() -> "Rate limiting is off (" + (settings.table() == null
                    ? RateLimitSettings.Variable.RATE_LIMIT_TABLE + " is not set)" : "every limit is 0)"));
            return RateLimiter.OFF;
        }
        DynamoDbClient client = client(settings, Duration.ofMillis(CALL_TIMEOUT_MILLIS), DefaultCredentialsProvider.builder().build());
        DynamoDbRateLimiter limiter = new DynamoDbRateLimiter(client, settings, Clock.systemUTC());
        limiter.warmUp();
        return limiter;
    }

    /**
     * A DynamoDB client for the limiter: the SDK's Apache HTTP client, {@code timeout} per call
     * (connect and read included; the functions' is {@value #CALL_TIMEOUT_MILLIS} ms), no retries.
     *
     * <p>Not the url-connection client the other SDK clients use: the limiter calls DynamoDB on every
     * API request, and {@code HttpURLConnection}, before it reuses a kept-alive connection for a
     * {@code POST} with a streamed body (every SDK call), reads from it with a 1 ms timeout to see
     * whether the server closed it — each call waited that millisecond and threw and caught a
     * {@code SocketTimeoutException} (the limiter's cost at p50 on the local emulator: 2.07 ms with
     * that client, 0.72 ms with this one; docs/performance.md, section 4). Apache's pool makes the
     * same check only on a connection idle for 2 s or more, so a function under steady traffic
     * skips it; it does not reuse a connection idle for 60 s (the SDK's
     * {@code connectionMaxIdleTime}), e.g. one restored from a SnapStart snapshot taken earlier. A
     * dead connection neither catches fails that one call, which then fails open.
     */
    public static DynamoDbClient client(RateLimitSettings settings, Duration timeout, AwsCredentialsProvider credentials) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(override -> override
                        .apiCallTimeout(timeout)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    /** Any credentials: for DynamoDB endpoints that do not check them (the local emulator). */
    public static AwsCredentialsProvider dummyCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }

    public RateLimitSettings settings() {
        return settings;
    }

    @Override
    public RateLimitDecision acquire(RateLimitSubject subject) {
        int limit = settings.limitPerMinute(subject);
        if (limit == 0) {
            return RateLimitDecision.ALLOWED;
        }
        Instant now = clock.instant();
        Instant windowStart = RateLimitTable.windowStart(now);
        Instant windowEnd = windowStart.plus(RateLimitTable.WINDOW);
        try {
            dynamoDb.updateItem(request -> request.tableName(settings.table())
                    .key(Map.of(RateLimitTable.KEY, AttributeValue.fromS(RateLimitTable.key(subject, windowStart))))
                    .updateExpression("ADD #count :one SET #expires = :expires")
                    .conditionExpression("attribute_not_exists(#count) OR #count < :limit")
                    .expressionAttributeNames(Map.of("#count", RateLimitTable.COUNT, "#expires", RateLimitTable.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(
                            ":one", AttributeValue.fromN("1"),
                            ":limit", AttributeValue.fromN(Integer.toString(limit)),
                            ":expires", AttributeValue.fromN(Long.toString(windowEnd.plus(RateLimitTable.WINDOW).getEpochSecond())))));
            return RateLimitDecision.ALLOWED;
        } catch (ConditionalCheckFailedException e) {
            return new RateLimitDecision.Refused(Duration.between(now, windowEnd));
        } catch (SdkException e) {
            LOG.warning(() -> "Rate limit not checked, request served (fail open): DynamoDB table " + settings.table()
                    + " failed: " + e.getMessage());
            return RateLimitDecision.ALLOWED;
        }
    }

    /** One read with a longer timeout, so class loading and the first connection happen at start-up. */
    void warmUp() {
        try {
            dynamoDb.getItem(request -> request.tableName(settings.table())
                    .key(Map.of(RateLimitTable.KEY, AttributeValue.fromS("warm-up")))
                    .overrideConfiguration(o -> o.apiCallTimeout(WARM_UP_TIMEOUT)));
        } catch (SdkException e) {
            LOG.log(Level.WARNING, "Rate limit table " + settings.table() + " is not reachable at start-up; requests are"
                    + " served unlimited while it is not (fail open): " + e.getMessage());
        }
    }
}
