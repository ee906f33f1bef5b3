package dev.pipedesk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Env;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.testing.OutboxTestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The relay against real PostgreSQL (embedded) and a real SQS (ElasticMQ). */
@Tag("integration")
class OutboxRelayTest {
    @RegisterExtension
    static final OutboxTestEnvironment environment = new OutboxTestEnvironment();

    private final TestClock clock = TestClock.aheadOfTheDatabase();
    private SqsOutboxSender sender;
    private SqsOutboxSender senderWithSqsDown;

    @BeforeEach
    void freshSenders() {
        sender = SqsOutboxSender.fromEnv(new Env(environment.producerEnvironment()));
        senderWithSqsDown = SqsOutboxSender.fromEnv(new Env(environment.producerEnvironmentWithSqsDown()));
    }

    /** Appends events one transaction at a time (so oldest first is well defined); returns their ids. */
    private List<String> appendCommitted(int count) {
        return AuditEvents.appendCommitted(environment.dataSource(), count).stream().map(AuditEvent::eventId).toList();
    }

    private List<String> receivedEventIds() {
        return environment.receiveAll().stream().map(m -> Json.MAPPER.readTree(m.body()).get("event_id").asString()).toList();
    }

    @Test
    void sendsWhatPublishLeftBehindOnceSqsIsBackOldestFirst() {
        List<String> ids = appendCommitted(5);
        new AuditOutbox(environment.dataSource(), senderWithSqsDown, clock).publish(ids);
        assertThat(OutboxRows.read(environment.dataSource()).rows()).hasSize(5);

        OutboxRelay relay = new OutboxRelay(environment.dataSource(), sender, clock, 2);
        assertThat(relay.runOnce()).as("nothing is due during the backoff").isEqualTo(new RelayResult(0, 0, 0));

        clock.advance(OutboxDelivery.FIRST_RETRY);
        assertThat(relay.runOnce()).isEqualTo(new RelayResult(2, 0, 3));
        assertThat(receivedEventIds()).containsExactlyInAnyOrderElementsOf(ids.subList(0, 2));
        assertThat(OutboxRows.read(environment.dataSource()).eventIds()).containsExactlyElementsOf(ids.subList(2, 5));

        assertThat(relay.runOnce()).isEqualTo(new RelayResult(2, 0, 1));
        assertThat(relay.runOnce()).isEqualTo(new RelayResult(1, 0, 0));
        assertThat(receivedEventIds()).containsExactlyInAnyOrderElementsOf(ids.subList(2, 5));
        assertThat(OutboxRows.read(environment.dataSource()).rows()).isEmpty();
    }

    @Test
    void backsOffExponentiallyUpToFiveMinutesAndKeepsTheLastError() {
        appendCommitted(1);
        OutboxRelay relay = new OutboxRelay(environment.dataSource(), senderWithSqsDown, clock, 10);
        List<Duration> delays = new ArrayList<>();

        for (int pass = 0; pass < 11; pass++) {
            Instant now = OutboxDelivery.databaseTime(clock);
            assertThat(relay.runOnce()).isEqualTo(new RelayResult(0, 1, 0));
            OutboxRows.Row row = OutboxRows.read(environment.dataSource()).rows().getFirst();
            assertThat(row.attempts()).isEqualTo(pass + 1);
            assertThat(row.lastError()).contains("SdkClientException");
            delays.add(Duration.between(now, row.nextAttemptAt()));
            clock.advance(delays.getLast());
        }

        assertThat(delays).extracting(Duration::toSeconds)
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L);
    }

    @Test
    void aRowThatFailsDoesNotHoldBackTheOthers() {
        List<String> ids = appendCommitted(3);
        OutboxSender refusesTheOldest = messages -> {
            Set<String> accepted = sender.send(messages.stream().filter(m -> !m.eventId().equals(ids.getFirst())).toList());
            return accepted;
        };

        RelayResult result = new OutboxRelay(environment.dataSource(), refusesTheOldest, clock, 10).runOnce();

        assertThat(result).isEqualTo(new RelayResult(2, 1, 0));
        assertThat(receivedEventIds()).containsExactlyInAnyOrderElementsOf(ids.subList(1, 3));
        assertThat(OutboxRows.read(environment.dataSource()).rows()).singleElement().satisfies(row -> {
            assertThat(row.eventId()).isEqualTo(ids.getFirst());
            assertThat(row.attempts()).isEqualTo(1);
            assertThat(row.lastError()).contains("not accepted");
        });
    }

    @Test
    void twoRelaysRunningAtOnceNeverSendTheSameRow() throws Exception {
        List<String> ids = appendCommitted(10);
        PausingSender pausingSender = new PausingSender(sender);
        OutboxRelay first = new OutboxRelay(environment.dataSource(), pausingSender, clock, 4);
        OutboxRelay second = new OutboxRelay(environment.dataSource(), sender, clock, 100);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<RelayResult> firstResult = executor.submit(first::runOnce);
            pausingSender.awaitHolding();

            RelayResult secondResult = second.runOnce();
            pausingSender.release();

            assertThat(secondResult).isEqualTo(new RelayResult(6, 0, 4));
            assertThat(firstResult.get(30, TimeUnit.SECONDS)).isEqualTo(new RelayResult(4, 0, 0));
        } finally {
            pausingSender.release();
            executor.shutdownNow();
        }
        assertThat(receivedEventIds()).hasSize(10).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(OutboxRows.read(environment.dataSource()).rows()).isEmpty();
    }

    @Test
    void aRelayAndAPublishRunningAtOnceNeverSendTheSameRow() throws Exception {
        List<String> ids = appendCommitted(3);
        PausingSender pausingSender = new PausingSender(sender);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<RelayResult> relayResult = executor.submit(new OutboxRelay(environment.dataSource(), pausingSender, clock, 10)::runOnce);
            pausingSender.awaitHolding();

            new AuditOutbox(environment.dataSource(), sender, clock).publish(ids);
            pausingSender.release();

            assertThat(relayResult.get(30, TimeUnit.SECONDS)).isEqualTo(new RelayResult(3, 0, 0));
        } finally {
            pausingSender.release();
            executor.shutdownNow();
        }
        assertThat(receivedEventIds()).hasSize(3).containsExactlyInAnyOrderElementsOf(ids);
    }
}
