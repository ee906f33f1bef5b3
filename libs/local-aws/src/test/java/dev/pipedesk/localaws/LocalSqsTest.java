package dev.pipedesk.localaws;

import dev.pipedesk.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ElasticMQ as the local stack runs it, through the real AWS SDK. */
@Tag("integration")
class LocalSqsTest {
    private static LocalSqs sqs;
    private static SqsClient client;

    @BeforeAll
    static void startSqs() {
        sqs = LocalSqs.start(new SqsOptions(0, Duration.ofSeconds(30), 5));
        client = sqs.client();
    }

    @AfterAll
    static void closeSqs() {
        sqs.close();
    }

    @BeforeEach
    void emptyQueues() {
        sqs.resetQueues();
    }

    /** Receives once, making whatever comes back visible again at once (visibility timeout 0). */
    private static List<Message> receiveAndRelease(String queueUrl) {
        ReceiveMessageResponse response = client.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .visibilityTimeout(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL));
        return response.messages();
    }

    @Test
    void createsTheAuditQueueWithItsVisibilityTimeoutAndRedrivePolicy() {
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(r -> r.queueUrl(sqs.auditQueueUrl())
                .attributeNames(QueueAttributeName.ALL)).attributes();

        assertThat(sqs.auditQueueUrl()).isEqualTo("http://127.0.0.1:" + sqs.port() + "/000000000000/pipedesk-audit");
        assertThat(sqs.deadLetterQueueUrl()).isEqualTo("http://127.0.0.1:" + sqs.port() + "/000000000000/pipedesk-audit-dlq");
        assertThat(client.getQueueUrl(r -> r.queueName(LocalSqs.AUDIT_QUEUE)).queueUrl()).isEqualTo(sqs.auditQueueUrl());
        assertThat(attributes.get(QueueAttributeName.QUEUE_ARN)).isEqualTo("arn:aws:sqs:us-east-1:000000000000:pipedesk-audit");
        assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("30");
        JsonNode redrive = Json.MAPPER.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.get("deadLetterTargetArn").asString()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:pipedesk-audit-dlq");
        assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(5);
    }

    @Test
    void movesAMessageToTheDeadLetterQueueAfterFiveReceives() {
        client.sendMessage(r -> r.queueUrl(sqs.auditQueueUrl()).messageBody("never processed"));

        List<String> receiveCounts = new ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            for (Message message : receiveAndRelease(sqs.auditQueueUrl())) {
                receiveCounts.add(message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            }
        }

        assertThat(receiveCounts).containsExactly("1", "2", "3", "4", "5");
        assertThat(sqs.auditQueueDepth().total()).isZero();
        assertThat(sqs.deadLetterQueueDepth()).isEqualTo(new QueueDepth(1, 0, 0));
        List<Message> dead = receiveAndRelease(sqs.deadLetterQueueUrl());
        assertThat(dead).extracting(Message::body).containsExactly("never processed");
        assertThat(dead.getFirst().attributesAsStrings())
                .as("like SQS, the receive count travels with the message (5 + this receive)")
                .containsEntry("ApproximateReceiveCount", "6")
                .containsEntry("DeadLetterQueueSourceArn", "arn:aws:sqs:us-east-1:000000000000:pipedesk-audit");
    }

    @Test
    void createsTheFifoSyncQueueWithItsFifoDeadLetterQueue() {
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(r -> r.queueUrl(sqs.syncQueueUrl())
                .attributeNames(QueueAttributeName.ALL)).attributes();
        Map<QueueAttributeName, String> dlq = client.getQueueAttributes(r -> r.queueUrl(sqs.syncDeadLetterQueueUrl())
                .attributeNames(QueueAttributeName.ALL)).attributes();

        assertThat(sqs.syncQueueUrl()).isEqualTo("http://127.0.0.1:" + sqs.port() + "/000000000000/pipedesk-calendar-sync.fifo");
        assertThat(sqs.syncDeadLetterQueueUrl())
                .isEqualTo("http://127.0.0.1:" + sqs.port() + "/000000000000/pipedesk-calendar-sync-dlq.fifo");
        assertThat(attributes).containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
                .containsEntry(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false")
                .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "30");
        JsonNode redrive = Json.MAPPER.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.get("deadLetterTargetArn").asString())
                .isEqualTo("arn:aws:sqs:us-east-1:000000000000:pipedesk-calendar-sync-dlq.fifo");
        assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(5);
        assertThat(dlq).containsEntry(QueueAttributeName.FIFO_QUEUE, "true");
    }

    private static void sendToGroup(String queueUrl, String group, String body) {
        client.sendMessage(r -> r.queueUrl(queueUrl).messageGroupId(group).messageDeduplicationId(body).messageBody(body));
    }

    @Test
    void handsOutNoMessageOfAGroupWhileAnotherOfItIsInFlight() {
        String queue = sqs.syncQueueUrl();
        sendToGroup(queue, "calendar-a", "a-1");
        sendToGroup(queue, "calendar-a", "a-2");
        List<Message> first = client.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(1)).messages();
        assertThat(first).extracting(Message::body).containsExactly("a-1");
        sendToGroup(queue, "calendar-b", "b-1");

        List<Message> meanwhile = client.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)).messages();
        assertThat(meanwhile).as("a-2 waits while a-1 is in flight; the other group is free")
                .extracting(Message::body).containsExactly("b-1");
        assertThat(client.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)).messages()).isEmpty();

        client.deleteMessage(r -> r.queueUrl(queue).receiptHandle(first.getFirst().receiptHandle()));
        assertThat(client.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)).messages())
                .extracting(Message::body).containsExactly("a-2");
    }

    @Test
    void deliversAGroupInOrderAndDropsADuplicateDeduplicationId() {
        String queue = sqs.syncQueueUrl();
        sendToGroup(queue, "calendar-a", "a-1");
        sendToGroup(queue, "calendar-a", "a-2");
        sendToGroup(queue, "calendar-a", "a-1");

        List<Message> received = client.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();

        assertThat(received).extracting(Message::body).containsExactly("a-1", "a-2");
        assertThat(received.getFirst().attributesAsStrings())
                .containsEntry("MessageGroupId", "calendar-a")
                .containsEntry("MessageDeduplicationId", "a-1")
                .containsKey("SequenceNumber");
        assertThat(new java.math.BigInteger(received.get(1).attributesAsStrings().get("SequenceNumber")))
                .isGreaterThan(new java.math.BigInteger(received.getFirst().attributesAsStrings().get("SequenceNumber")));
    }

    @Test
    void movesASyncRequestToTheFifoDeadLetterQueueAfterFiveReceives() {
        sendToGroup(sqs.syncQueueUrl(), "calendar-a", "never-synced");

        int receives = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            receives += receiveAndRelease(sqs.syncQueueUrl()).size();
        }

        assertThat(receives).isEqualTo(5);
        assertThat(sqs.syncQueueDepth().total()).isZero();
        assertThat(receiveAndRelease(sqs.syncDeadLetterQueueUrl())).extracting(Message::body).containsExactly("never-synced");
    }

    @Test
    void countsVisibleAndInFlightMessages() {
        client.sendMessage(r -> r.queueUrl(sqs.auditQueueUrl()).messageBody("one"));
        client.sendMessage(r -> r.queueUrl(sqs.auditQueueUrl()).messageBody("two"));
        client.receiveMessage(r -> r.queueUrl(sqs.auditQueueUrl()).maxNumberOfMessages(1));

        assertThat(sqs.auditQueueDepth()).isEqualTo(new QueueDepth(1, 1, 0));
        assertThat(sqs.auditQueueDepth().total()).isEqualTo(2);
    }

    @Test
    void keepsQueuesAndMessagesAcrossAStopAndAStartOnTheSamePort() {
        int port = sqs.port();
        client.sendMessage(r -> r.queueUrl(sqs.auditQueueUrl()).messageBody("sent before the outage"));

        sqs.stop();
        assertThat(sqs.isRunning()).isFalse();
        assertThat(sqs.status()).startsWith("down");
        assertThatThrownBy(() -> client.sendMessage(r -> r.queueUrl(sqs.auditQueueUrl()).messageBody("lost")))
                .isInstanceOf(SdkException.class);

        sqs.start();
        assertThat(sqs.port()).isEqualTo(port);
        assertThat(sqs.status()).isEqualTo("up");
        assertThat(receiveAndRelease(sqs.auditQueueUrl())).extracting(Message::body).containsExactly("sent before the outage");
    }

    @Test
    void stopAndStartAreIdempotent() {
        sqs.stop();
        sqs.stop();
        sqs.start();
        sqs.start();

        assertThat(sqs.status()).isEqualTo("up");
        client.sendMessage(r -> r.queueUrl(sqs.auditQueueUrl()).messageBody("after restarts"));
        assertThat(sqs.auditQueueDepth().visible()).isEqualTo(1);
    }
}
