package dev.pipedesk.state;

import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The counter table's definition: partition key {@value #KEY} (string: subject and window, e.g.
 * {@code user#42#1767225600}), the count in {@value #COUNT}, on-demand billing, and TTL on
 * {@value #EXPIRES_AT} (epoch seconds; every item has it: one minute after its window ends).
 * The local stack and the tests create it with {@link #create}; in AWS the deployment defines
 * the same table.
 */
public final class RateLimitTable {
    public static final String KEY = "limit_key";
    public static final String COUNT = "request_count";
    public static final String EXPIRES_AT = "expires_at";
    /** The local stack's table name. */
    public static final String LOCAL_NAME = "pipedesk-rate-limits";

    /** Counters are kept per subject and fixed window of this length. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private RateLimitTable() {
    }

    /** The start of the window {@code instant} falls in (whole minutes since the epoch). */
    public static Instant windowStart(Instant instant) {
        return Instant.ofEpochSecond(instant.getEpochSecond() - Math.floorMod(instant.getEpochSecond(), WINDOW.toSeconds()));
    }

    /** The item key of a subject's counter in the window starting at {@code windowStart}, e.g. {@code user#42#1767225600}. */
    public static String key(RateLimitSubject subject, Instant windowStart) {
        return subject.key() + "#" + windowStart.getEpochSecond();
    }

    /** Creates the table and enables TTL on {@value #EXPIRES_AT}. */
    public static void create(DynamoDbClient dynamoDb, String table) {
        dynamoDb.createTable(request -> request.tableName(table)
                .keySchema(KeySchemaElement.builder().attributeName(KEY).keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName(KEY)
                        .attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        dynamoDb.updateTimeToLive(request -> request.tableName(table)
                .timeToLiveSpecification(ttl -> ttl.enabled(true).attributeName(EXPIRES_AT)));
    }
}
