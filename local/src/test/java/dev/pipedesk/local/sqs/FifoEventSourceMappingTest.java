package dev.pipedesk.local.sqs;

import dev.pipedesk.core.Json;
import dev.pipedesk.local.lambda.LambdaFunction;
import dev.pipedesk.local.lambda.LogSink;
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
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event source mapping on a FIFO queue of ElasticMQ (visibility timeout 1 s), feeding a
 * function in this JVM that records every batch: batches of different groups run at once, never
 * two of one group; a group is delivered in order, also after a partial batch failure; the event
 * carries the FIFO attributes.
 */
@Tag("integration")
class FifoEventSourceMappingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration VISIBILITY = Duration.ofSeconds(1);
    private static final AtomicInteger queues = new AtomicInteger();
    @TempDir
    static Path dir;
    private static LocalSqs sqs;
    private static SqsClient client;
    private String queueUrl;
    private String queueName;
    private RecordingFunction function;
    private SqsEventSourceMapping mapping;

    @BeforeAll
    static void startSqs() {
        sqs = LocalSqs.start(new SqsOptions(0, VISIBILITY, 5));
        client = sqs.client();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @BeforeEach
    void freshQueue() {
        queueName = "sync-test-" + queues.incrementAndGet() + ".fifo";
        queueUrl = sqs.createFifoQueue(queueName);
        function = new RecordingFunction();
    }

    @AfterEach
    void stopMapping() {
        if (function != null) {
            function.release.countDown();
        }
        if (mapping != null) {
            mapping.close();
        }
    }

    private void startMapping(int maxConcurrency) {
        mapping = SqsEventSourceMapping.start(client, SqsEventSourceMapping.Settings.fifo(queueUrl, LocalSqs.queueArn(queueName),
                        LocalSqs.REGION, SqsEventSourceMapping.Fifo.of(maxConcurrency, VISIBILITY)).withReceiveWait(Duration.ofSeconds(1)),
                function, LogSink.file("mapping-" + queueName, dir));
    }

    private void send(String group, String... bodies) {
        for (String body : bodies) {
            client.sendMessage(r -> r.queueUrl(queueUrl).messageGroupId(group).messageDeduplicationId(body).messageBody(body));
        }
    }

    /** One record of a batch the function received. */
    private record Delivery(int batch, String group, String body, int receiveCount, JsonNode record) {
    }

    /**
     * Records each batch; per batch checks that no other running batch holds one of its groups.
     * {@code block…}: waits for {@link #release} before answering; {@code fail-once…}: reported
     * as failed the first time it is delivered.
     */
    private static final class RecordingFunction implements LambdaFunction {
        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        final Set<String> runningGroups = ConcurrentHashMap.newKeySet();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostRunning = new AtomicInteger();
        final AtomicInteger batches = new AtomicInteger();
        final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String invoke(String eventJson) {
            int batch = batches.incrementAndGet();
            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            List<String> mine = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            boolean block = false;
            try {
                for (JsonNode record : Json.MAPPER.readTree(eventJson).get("Records")) {
                    String group = record.at("/attributes/MessageGroupId").asString();
                    String body = record.get("body").asString();
                    if (!mine.contains(group)) {
                        if (runningGroups.add(group)) {
                            mine.add(group);
                        } else {
                            overlaps.incrementAndGet();
                        }
                    }
                    deliveries.add(new Delivery(batch, group, body,
                            Integer.parseInt(record.at("/attributes/ApproximateReceiveCount").asString()), record));
                    block |= body.startsWith("block");
                    if (body.startsWith("fail-once") && failedOnce.add(body)) {
                        failures.add("{\"itemIdentifier\":\"" + record.get("messageId").asString() + "\"}");
                    }
                }
                if (block) {
                    blocked.countDown();
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                return "{\"batchItemFailures\":[" + String.join(",", failures) + "]}";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                runningGroups.removeAll(mine);
                running.decrementAndGet();
            }
        }

        List<String> bodiesOf(String group) {
            return deliveries.stream().filter(d -> d.group().equals(group)).map(Delivery::body).toList();
        }

        @Override
        public boolean isUp() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void runsAnotherGroupWhileOneIsBusyAndHoldsTheBusyGroupBackUntilItsBatchEnds() {
        send("calendar-a", "block-a-1", "a-2");
        startMapping(2);
        await("the batch of calendar-a is running").atMost(WAIT).until(() -> function.blocked.getCount() == 0);
        int deliveredOfA = function.bodiesOf("calendar-a").size();

        send("calendar-a", "a-3");
        send("calendar-b", "b-1");

        await("calendar-b handled while calendar-a's batch runs").atMost(WAIT)
                .until(() -> function.bodiesOf("calendar-b").contains("b-1"));
        await("nothing more of calendar-a while its batch runs, for three visibility timeouts")
                .during(VISIBILITY.multipliedBy(3)).atMost(WAIT)
                .until(() -> function.bodiesOf("calendar-a").size() == deliveredOfA);

        function.release.countDown();

        await("every message handled and deleted").atMost(WAIT).until(() -> mapping.stats().deleted() == 4);
        assertThat(function.bodiesOf("calendar-a")).containsExactly("block-a-1", "a-2", "a-3");
        assertThat(function.bodiesOf("calendar-b")).containsExactly("b-1");
        assertThat(function.mostRunning.get()).as("batches running at once").isEqualTo(2);
        assertThat(function.overlaps.get()).as("batches that held a group another running batch held").isZero();
        assertThat(sqs.depth(queueName).total()).isZero();
    }

    @Test
    void aFailedMessageAndTheLaterMessagesOfItsGroupInTheBatchComeBackInOrder() {
        send("calendar-a", "a-1", "fail-once-a-2", "a-3");
        send("calendar-b", "b-1", "b-2");
        startMapping(2);

        await("every message handled and deleted").atMost(WAIT).until(() -> mapping.stats().deleted() == 5);

        Delivery firstOfA = function.deliveries.stream().filter(d -> d.group().equals("calendar-a")).findFirst().orElseThrow();
        assertThat(function.deliveries).filteredOn(d -> d.batch() == firstOfA.batch() && d.group().equals("calendar-a"))
                .as("the first batch of calendar-a holds all three").extracting(Delivery::body)
                .containsExactly("a-1", "fail-once-a-2", "a-3");
        assertThat(function.bodiesOf("calendar-a"))
                .as("a-3 was handled, but came back with the failed message before it")
                .containsExactly("a-1", "fail-once-a-2", "a-3", "fail-once-a-2", "a-3");
        assertThat(function.deliveries).filteredOn(d -> d.group().equals("calendar-a")).extracting(Delivery::receiveCount)
                .containsExactly(1, 1, 1, 2, 2);
        assertThat(function.bodiesOf("calendar-b")).containsExactly("b-1", "b-2");
        assertThat(mapping.stats().failed()).isEqualTo(2);
        assertThat(function.overlaps.get()).isZero();
        assertThat(sqs.depth(queueName).total()).isZero();
    }

    @Test
    void theSqsEventCarriesTheFifoAttributesAsAwsSendsThem() {
        send("calendar-a", "a-1");
        startMapping(1);

        await("a-1 handled").atMost(WAIT).until(() -> mapping.stats().deleted() == 1);

        JsonNode record = function.deliveries.getFirst().record();
        assertThat(record.get("eventSource").asString()).isEqualTo("aws:sqs");
        assertThat(record.get("eventSourceARN").asString()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:" + queueName);
        JsonNode attributes = record.get("attributes");
        assertThat(attributes.get("MessageGroupId").asString()).isEqualTo("calendar-a");
        assertThat(attributes.get("MessageDeduplicationId").asString()).isEqualTo("a-1");
        assertThat(attributes.get("SequenceNumber").asString()).matches("\\d+");
        assertThat(attributes.get("ApproximateReceiveCount").asString()).isEqualTo("1");
        assertThat(attributes.get("SentTimestamp").asString()).matches("\\d+");
    }
}
