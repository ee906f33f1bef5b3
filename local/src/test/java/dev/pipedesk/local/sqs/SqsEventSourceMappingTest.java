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
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

    /** A queue of this run's own whose visibility timeout (30 s) outlasts any gathering, so no message comes twice. */
    private String batchingQueue() {
        String name = "batching-" + run;
        client.createQueue(r -> r.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")));
        return sqs.queueUrl(name);
    }

    private void sendTo(String queueUrl, int count, String prefix) {
        for (int from = 0; from < count; from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + 10, count); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(prefix + i + "-" + run).build());
            }
            assertThat(client.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed()).isEmpty();
        }
    }

    private void startPoller(String queueUrl, int batchSize, Duration window) {
        poller = SqsEventSourceMapping.start(client, SqsEventSourceMapping.Settings.of(queueUrl, "arn:aws:sqs:us-east-1:000000000000:"
                        + queueUrl.substring(queueUrl.lastIndexOf('/') + 1), LocalSqs.REGION)
                .withReceiveWait(Duration.ofSeconds(1)).withBatching(batchSize, window), function, LogSink.file("poller-" + run, dir));
    }

    /** The number of records of each invocation that carried this run's messages, in order. */
    private List<Integer> invocationSizes() throws IOException {
        List<Integer> sizes = new ArrayList<>();
        if (Files.exists(eventLog)) {
            for (String line : Files.readAllLines(eventLog)) {
                int mine = 0;
                for (JsonNode record : Json.MAPPER.readTree(line).get("Records")) {
                    mine += record.get("body").asString().endsWith(run) ? 1 : 0;
                }
                if (mine > 0) {
                    sizes.add(mine);
                }
            }
        }
        return sizes;
    }

    @Test
    void gathersSeveralReceivesIntoOneInvocationOfTheBatchSize() throws Exception {
        String queue = batchingQueue();
        sendTo(queue, 250, "ok-");

        startPoller(queue, 250, Duration.ofSeconds(10));

        await("250 handled and deleted").atMost(WAIT).until(() -> poller.stats().deleted() == 250);
        assertThat(invocationSizes()).containsExactly(250);
        assertThat(deliveredBodies()).hasSize(250).doesNotHaveDuplicates();
        assertThat(poller.stats().batches()).isEqualTo(1);
        assertThat(sqs.depth("batching-" + run).total()).isZero();
        assertThat(Files.readString(pollerLog)).contains("batch size 250, batching window 10000 ms");
    }

    @Test
    void theBatchingWindowEndsABatchThatIsNotFull() throws Exception {
        String queue = batchingQueue();
        sendTo(queue, 25, "ok-");

        startPoller(queue, 1_000, Duration.ofMillis(1_500));

        await("25 handled").atMost(WAIT).until(() -> poller.stats().deleted() == 25);
        assertThat(invocationSizes()).containsExactly(25);
    }

    @Test
    void onlyTheFailedMessagesOfAGatheredBatchStayOnTheQueue() throws Exception {
        String queue = batchingQueue();
        sendTo(queue, 40, "ok-");
        sendTo(queue, 1, "fail-");

        startPoller(queue, 41, Duration.ofSeconds(10));

        await("40 deleted").atMost(WAIT).until(() -> poller.stats().deleted() == 40);
        assertThat(invocationSizes()).containsExactly(41);
        assertThat(poller.stats().failed()).isEqualTo(1);
        await("the failed one is the only one left").atMost(WAIT).until(() -> sqs.depth("batching-" + run).total() == 1);
    }

    @Test
    void byDefaultEachInvocationIsOneReceiveOfAtMostTen() throws Exception {
        String queue = batchingQueue();
        sendTo(queue, 25, "ok-");

        poller = SqsEventSourceMapping.start(client, SqsEventSourceMapping.Settings.of(queue, LocalSqs.queueArn("batching-" + run),
                LocalSqs.REGION).withReceiveWait(Duration.ofSeconds(1)), function, LogSink.file("poller-" + run, dir));

        await("25 handled").atMost(WAIT).until(() -> poller.stats().deleted() == 25);
        assertThat(invocationSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 10)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(poller.settings().batchSize()).isEqualTo(10);
        assertThat(poller.settings().batchingWindow()).isZero();
    }

    @Test
    void refusesABatchLargerThanOneReceiveWithoutAWindowAsLambdaDoes() {
        SqsEventSourceMapping.Settings settings = SqsEventSourceMapping.Settings.of(sqs.auditQueueUrl(),
                LocalSqs.queueArn(LocalSqs.AUDIT_QUEUE), LocalSqs.REGION);

        assertThatThrownBy(() -> settings.withBatchSize(11)).hasMessageContaining("needs a batching window");
        assertThatThrownBy(() -> settings.withBatching(10_001, Duration.ofSeconds(1))).hasMessageContaining("1..10000");
        assertThat(settings.withBatching(10_000, Duration.ofMillis(1)).batchSize()).isEqualTo(10_000);
    }
}
