package dev.pipedesk.emulator.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** The emulator as the real SDK client sees it: DynamoDB's answers, errors and expression semantics. */
@Tag("integration")
class DynamoDbEmulatorTest {
    private static DynamoDbEmulator emulator;
    private static DynamoDbClient client;

    @BeforeAll
    static void start() throws IOException {
        emulator = DynamoDbEmulator.start(0);
        client = DynamoDbClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        client.createTable(r -> r.tableName("items")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .billingMode("PAY_PER_REQUEST"));
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    @Test
    void updateItemAddsSetsAndReturnsTheNewItem() {
        var first = client.updateItem(r -> r.tableName("items").key(key("a"))
                .updateExpression("ADD #n :one SET label = if_not_exists(label, :label)")
                .expressionAttributeNames(Map.of("#n", "n"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":label", AttributeValue.fromS("first")))
                .returnValues(ReturnValue.ALL_NEW));
        var second = client.updateItem(r -> r.tableName("items").key(key("a"))
                .updateExpression("ADD #n :two SET label = if_not_exists(label, :label)")
                .expressionAttributeNames(Map.of("#n", "n"))
                .expressionAttributeValues(Map.of(":two", AttributeValue.fromN("2"), ":label", AttributeValue.fromS("second")))
                .returnValues(ReturnValue.ALL_NEW));

        assertThat(first.attributes()).containsEntry("n", AttributeValue.fromN("1")).containsEntry("pk", AttributeValue.fromS("a"));
        assertThat(second.attributes()).containsEntry("n", AttributeValue.fromN("3")).containsEntry("label", AttributeValue.fromS("first"));
        assertThat(client.getItem(r -> r.tableName("items").key(key("a"))).item()).isEqualTo(second.attributes());
    }

    @Test
    void aFailedConditionIsConditionalCheckFailedAndChangesNothing() {
        client.putItem(r -> r.tableName("items").item(Map.of("pk", AttributeValue.fromS("b"), "n", AttributeValue.fromN("5"))));

        assertThatThrownBy(() -> client.updateItem(r -> r.tableName("items").key(key("b"))
                .updateExpression("ADD n :one").conditionExpression("attribute_not_exists(n) OR n < :limit")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":limit", AttributeValue.fromN("5")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(client.getItem(r -> r.tableName("items").key(key("b"))).item().get("n").n()).isEqualTo("5");
    }

    @Test
    void unknownTablesExistingTablesAndUnsupportedExpressionsAreDynamoDbsErrors() {
        assertThatThrownBy(() -> client.getItem(r -> r.tableName("missing").key(key("a"))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> client.createTable(r -> r.tableName("items")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))))
                .isInstanceOf(ResourceInUseException.class);
        assertThatThrownBy(() -> client.updateItem(r -> r.tableName("items").key(key("c"))
                .updateExpression("SET list_attr = list_append(list_attr, :v)")
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromL(java.util.List.of())))))
                .isInstanceOf(DynamoDbException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> client.scan(r -> r.tableName("items")))
                .isInstanceOf(DynamoDbException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException"));
    }
}
