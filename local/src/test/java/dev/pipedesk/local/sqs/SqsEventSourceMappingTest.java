package dev.pipedesk.local.sqs;

import dev.pipedesk.core.Json;
import dev.pipedesk.local.lambda.FunctionProcess;
import dev.pipedesk.local.lambda.LogSink;
import dev.pipedesk.local.lambda.TestFunctions;
import dev.pipedesk.localaws.LocalSqs;
import dev.pipedesk.localaws.SqsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local SQS event source mapping against ElasticMQ and a test function in its own JVM
 * ({@link BatchTestHandler}): deletes what succeeded, leaves failures to SQS's visibility timeout
 * and redrive, fails whole batches on errors, and rides out an SQS outage.
 */
@Tag("e2e")
class SqsEventSourceMappingTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    private static LocalSqs sqs;
    private static SqsClient client;
    private static FunctionProcess function;
    private static Path eventLog;
    private SqsEventSourceMapping poller;
    private Path pollerLog;
    private String run;

    @BeforeAll
    static void startSqsAndFunction() throws Exception {
        sqs = LocalSqs.start(new SqsOptions(0, Duration.ofSeconds(1), 5));
        client = sqs.client();
        eventLog = dir.resolve("events.jsonl");
        function = FunctionProcess.start(TestFunctions.spec("batch", BatchTestHandler.class,
                Map.of("EVENT_LOG", eventLog.toString())), LogSink.file("batch", dir));
    }

    @AfterAll
    static void stopAll() {
        function.close();
        sqs.close();
    }

    @BeforeEach
    void emptyQueues() {
        sqs.resetQueues();
        run = UUID.randomUUID().toString().substring(0, 8);
        pollerLog = dir.resolve("poller-" + run + ".log");
    }

    @AfterEach
    void stopPoller() {
        if (poller != null) {
            poller.close();
        }
    }

    private void startPoller() {
        poller = SqsEventSourceMapping.start(client, SqsEventSourceMapping.Settings.of(sqs.auditQueueUrl(),
                LocalSqs.queueArn(LocalSqs.AUDIT_QUEUE), LocalSqs.REGION).withReceiveWait(Duration.ofSeconds(1)),
                function, LogSink.file("poller-" + run, dir));
    }

    private void send(String... bodies) {
        for (String body : bodies) {
            client.sendMessage(r -> r.queueUrl(sqs.auditQueueUrl()).messageBody(body));
        }
    }

    /** Each delivery of this run's messages the function saw: body and ApproximateReceiveCount, with its event. */
    private record Delivery(String body, int receiveCount, JsonNode record) {
    }

    private List<Delivery> deliveries() throws IOException {
        List<Delivery> deliveries = new ArrayList<>();
        if (!Files.exists(eventLog)) {
            return deliveries;
        }
        for (String line : Files.readAllLines(eventLog)) {
            for (JsonNode record : Json.MAPPER.readTree(line).get("Records")) {
                String body = record.get("body").asString();
                if (body.endsWith(run)) {
                    deliveries.add(new Delivery(body.substring(0, body.length() - run.length() - 1),
                            record.at("/attributes/ApproximateReceiveCount").asInt(), record));
                }
            }
        }
        return deliveries;
    }

    private List<String> deliveredBodies() throws IOException {
        return deliveries().stream().map(Delivery::body).toList();
    }

    @Test
    void invokesTheFunctionWithAnSqsEventAndDeletesOnlyTheMessagesItHandled() throws Exception {
        send("ok-1-" + run, "ok-2-" + run, "fail-3-" + run);
        startPoller();

        await("fail-3 in the dead-letter queue").atMost(WAIT).until(() -> sqs.deadLetterQueueDepth().total() == 1);

        List<Delivery> deliveries = deliveries();
        assertThat(deliveries).filteredOn(d -> d.body().startsWith("ok")).extracting(Delivery::body)
                .containsExactlyInAnyOrder("ok-1", "ok-2");
        assertThat(deliveries).filteredOn(d -> d.body().equals("fail-3")).extracting(Delivery::receiveCount)
                .containsExactly(1, 2, 3, 4, 5);
        assertThat(sqs.auditQueueDepth().total()).isZero();
        List<Message> dead = client.receiveMessage(r -> r.queueUrl(sqs.deadLetterQueueUrl()).maxNumberOfMessages(10)).messages();
        assertThat(dead).extracting(Message::body).containsExactly("fail-3-" + run);
        assertThat(poller.stats().deleted()).isEqualTo(2);
        assertThat(poller.stats().failed()).isEqualTo(5);

        JsonNode record = deliveries.getFirst().record();
        assertThat(record.get("eventSource").asString()).isEqualTo("aws:sqs");
        assertThat(record.get("eventSourceARN").asString()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:pipedesk-audit");
        assertThat(record.get("awsRegion").asString()).isEqualTo("us-east-1");
        assertThat(record.get("messageId").asString()).isNotBlank();
        assertThat(record.get("receiptHandle").asString()).isNotBlank();
        assertThat(record.get("md5OfBody").asString()).hasSize(32);
        assertThat(record.at("/attributes/SentTimestamp").asString()).isNotBlank();
        assertThat(record.at("/attributes/ApproximateFirstReceiveTimestamp").asString()).isNotBlank();
        assertThat(record.get("messageAttributes").isObject()).isTrue();
    }

    /** Sends {@code ok} and {@code failing} in one batch: {@code ok} comes a second time and nothing is deleted. */
    private void assertTheWholeBatchIsDeliveredAgain(String ok, String failing) throws Exception {
        send(ok + "-" + run, failing + "-" + run);
        startPoller();

        await(ok + " delivered a second time").atMost(WAIT).until(() ->
                deliveries().stream().anyMatch(d -> d.body().equals(ok) && d.receiveCount() == 2));

        assertThat(poller.stats().deleted()).isZero();
    }

    @Test
    void aFunctionErrorFailsTheWholeBatch() throws Exception {
        assertTheWholeBatchIsDeliveredAgain("ok-a", "crash-b");
    }

    @Test
    void anInvalidPartialBatchResponseFailsTheWholeBatch() throws Exception {
        assertTheWholeBatchIsDeliveredAgain("ok-c", "bogus-d");

        assertThat(Files.readString(pollerLog)).contains("not a valid partial batch response");
    }

    @Test
    void ridesOutAnSqsOutageAndLogsItOnce() throws Exception {
        startPoller();
        send("ok-before-" + run);
        await("ok-before handled").atMost(WAIT).until(() -> poller.stats().deleted() == 1);

        sqs.stop();
        await("the outage noticed").atMost(WAIT).until(() -> outageReports() == 1);
        await("retries during the outage are not logged again").during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5)).until(() -> outageReports() == 1);
        sqs.start();
        send("ok-after-" + run);

        await("ok-after handled").atMost(WAIT).until(() -> poller.stats().deleted() == 2);
        assertThat(deliveredBodies()).containsExactly("ok-before", "ok-after");
        assertThat(outageReports()).isEqualTo(1);
        assertThat(Files.readString(pollerLog)).contains("SQS is reachable again");
    }

    /** How often the poller has logged that SQS is unreachable. */
    private long outageReports() throws IOException {
        return Files.readAllLines(pollerLog).stream().filter(line -> line.contains("SQS is unreachable")).count();
    }

    @Test
    void closeStopsThePollerThread() {
        startPoller();

        poller.close();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("sqs-poller-batch"));
        poller = null;
    }
}
