package dev.pipedesk.local.sqs;

import dev.pipedesk.core.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.pipedesk.local.testing.JsonAssertions.assertTextsAt;
import static org.assertj.core.api.Assertions.assertThat;

/** The SQS event and the partial batch response, as Lambda's event source mapping handles them. */
class SqsEventsTest {
    private static final Set<String> BATCH = Set.of("m-1", "m-2");

    @Test
    void buildsTheSqsEventLambdaSends() {
        Message message = Message.builder().messageId("m-1").receiptHandle("rh-1").body("{\"a\":1}").md5OfBody("md5")
                .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "3",
                        MessageSystemAttributeName.SENT_TIMESTAMP, "1700000000000"))
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("audit").build(),
                        "raw", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("hi")).build()))
                .build();

        JsonNode event = Json.MAPPER.readTree(SqsEvents.event(List.of(message), "arn:aws:sqs:us-east-1:000000000000:q", "us-east-1"));

        JsonNode record = event.get("Records").get(0);
        assertThat(event.get("Records").size()).isEqualTo(1);
        assertTextsAt(record,
                "/messageId", "m-1",
                "/receiptHandle", "rh-1",
                "/body", "{\"a\":1}",
                "/attributes/ApproximateReceiveCount", "3",
                "/attributes/SentTimestamp", "1700000000000",
                "/messageAttributes/kind/stringValue", "audit",
                "/messageAttributes/kind/dataType", "String",
                "/messageAttributes/raw/binaryValue", "aGk=",
                "/md5OfBody", "md5",
                "/eventSource", "aws:sqs",
                "/eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:q",
                "/awsRegion", "us-east-1");
    }

    @Test
    void readsTheFailedMessageIds() {
        assertThat(SqsEvents.failedMessageIds("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-2\"}]}", BATCH))
                .contains(Set.of("m-2"));
    }

    @Test
    void noOutputAnEmptyObjectOrAnEmptyListMeanTheWholeBatchSucceeded() {
        for (String output : new String[] {null, "", "null", "{}", "{\"batchItemFailures\":null}", "{\"batchItemFailures\":[]}"}) {
            assertThat(SqsEvents.failedMessageIds(output, BATCH)).as(String.valueOf(output)).contains(Set.of());
        }
    }

    @Test
    void anInvalidResponseFailsTheWholeBatch() {
        for (String output : new String[] {"not json", "[]", "\"text\"", "{\"batchItemFailures\":{}}",
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}", "{\"batchItemFailures\":[{\"itemIdentifier\":null}]}",
                "{\"batchItemFailures\":[{}]}", "{\"batchItemFailures\":[{\"itemIdentifier\":\"m-9\"}]}"}) {
            assertThat(SqsEvents.failedMessageIds(output, BATCH)).as(output).isEqualTo(Optional.empty());
        }
    }
}
