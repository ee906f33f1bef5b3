package dev.pipedesk.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.emulator.dynamodb.DynamoDbEmulator;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;

/**
 * The limiter against DynamoDB's wire protocol (the in-process emulator, through the real SDK
 * client): counting, refusal with the window's remaining time, separate counters, TTL. The clock
 * is fixed, so no test waits for a minute to pass.
 */
@Tag("integration")
class DynamoDbRateLimiterTest {
    /** 12:00:45 UTC: 15 s before the window ends. */
    private static final Instant NOW = Instant.parse("2030-01-15T12:00:45Z");
    private static final long WINDOW_START = Instant.parse("2030-01-15T12:00:00Z").getEpochSecond();
    private static DynamoDbEmulator emulator;
    private static DynamoDbClient client;
    private static int tables;

    @BeforeAll
    static void start() throws IOException {
        emulator = DynamoDbEmulator.start(0);
        // A generous time per call: on a busy machine a slow call must not fail open and skew a count.
        client = DynamoDbRateLimiter.client(settings("unused", 1, 1), Duration.ofSeconds(10),
                DynamoDbRateLimiter.dummyCredentials());
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    private static RateLimitSettings settings(String table, int userLimit, int ipLimit) {
        return new RateLimitSettings(table, userLimit, ipLimit, "us-east-1", emulator.endpoint());
    }

    /** A limiter on a table of its own, so tests never share counters. */
    private static DynamoDbRateLimiter limiter(int userLimit, int ipLimit, Instant now) {
        String table = "rate-limits-" + (++tables);
        RateLimitTable.create(client, table);
        return new DynamoDbRateLimiter(client, settings(table, userLimit, ipLimit), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static RateLimitDecision acquireTimes(RateLimiter limiter, RateLimitSubject subject, int times) {
        return IntStream.range(0, times).mapToObj(i -> limiter.acquire(subject)).reduce((first, second) -> second).orElseThrow();
    }

    @Test
    void allowsRequestsUpToTheLimitAndRefusesTheNextUntilTheWindowEnds() {
        DynamoDbRateLimiter limiter = limiter(3, 300, NOW);
        RateLimitSubject.User user = new RateLimitSubject.User("user-1");

        assertThat(IntStream.range(0, 3).mapToObj(i -> limiter.acquire(user)))
                .containsOnly(RateLimitDecision.ALLOWED);
        RateLimitDecision fourth = limiter.acquire(user);

        assertThat(fourth).isEqualTo(new RateLimitDecision.Refused(Duration.ofSeconds(15)));
        assertThat(((RateLimitDecision.Refused) fourth).retryAfterSeconds()).isEqualTo(15);
    }

    @Test
    void aNewWindowStartsANewCount() {
        DynamoDbRateLimiter full = limiter(2, 300, NOW);
        RateLimitSubject.User user = new RateLimitSubject.User("user-1");
        assertThat(acquireTimes(full, user, 3)).isInstanceOf(RateLimitDecision.Refused.class);

        DynamoDbRateLimiter nextMinute = new DynamoDbRateLimiter(client, full.settings(),
                Clock.fixed(NOW.plusSeconds(15), ZoneOffset.UTC));

        assertThat(nextMinute.acquire(user)).isEqualTo(RateLimitDecision.ALLOWED);
    }

    @Test
    void eachUserHasACounterOfItsOwn() {
        DynamoDbRateLimiter limiter = limiter(2, 300, NOW);
        RateLimitSubject.User busy = new RateLimitSubject.User("busy");
        assertThat(acquireTimes(limiter, busy, 3)).isInstanceOf(RateLimitDecision.Refused.class);

        assertThat(limiter.acquire(new RateLimitSubject.User("other"))).isEqualTo(RateLimitDecision.ALLOWED);
        assertThat(limiter.acquire(new RateLimitSubject.SourceIp("busy"))).isEqualTo(RateLimitDecision.ALLOWED);
    }

    @Test
    void aZeroLimitTurnsLimitingOffWithoutCallingDynamoDb() {
        DynamoDbRateLimiter limiter = limiter(0, 0, NOW);
        long before = emulator.itemRequests();

        assertThat(acquireTimes(limiter, new RateLimitSubject.User("user-1"), 1_000)).isEqualTo(RateLimitDecision.ALLOWED);
        assertThat(acquireTimes(limiter, new RateLimitSubject.SourceIp("192.0.2.1"), 10)).isEqualTo(RateLimitDecision.ALLOWED);
        assertThat(emulator.itemRequests()).isEqualTo(before);
    }

    @Test
    void sourceIpsHaveTheirOwnLimit() {
        DynamoDbRateLimiter limiter = limiter(600, 2, NOW);
        RateLimitSubject.SourceIp ip = new RateLimitSubject.SourceIp("192.0.2.7");

        assertThat(acquireTimes(limiter, ip, 2)).isEqualTo(RateLimitDecision.ALLOWED);
        assertThat(limiter.acquire(ip)).isEqualTo(new RateLimitDecision.Refused(Duration.ofSeconds(15)));
        assertThat(limiter.acquire(new RateLimitSubject.User("192.0.2.7"))).isEqualTo(RateLimitDecision.ALLOWED);
    }

    @Test
    void everyCounterCarriesItsTtlAMinuteAfterItsWindow() {
        DynamoDbRateLimiter limiter = limiter(5, 300, NOW);
        acquireTimes(limiter, new RateLimitSubject.User("user-ttl"), 2);

        JsonNode item = emulator.item(limiter.settings().table(),
                Map.of(RateLimitTable.KEY, dev.pipedesk.core.Json.MAPPER.valueToTree(Map.of("S", "user#user-ttl#" + WINDOW_START))))
                .orElseThrow();

        assertThat(item.get(RateLimitTable.COUNT).get("N").asString()).isEqualTo("2");
        assertThat(item.get(RateLimitTable.EXPIRES_AT).get("N").asLong()).isEqualTo(WINDOW_START + 120);
        assertThat(client.describeTimeToLive(r -> r.tableName(limiter.settings().table())).timeToLiveDescription()
                .attributeName()).isEqualTo(RateLimitTable.EXPIRES_AT);
        assertThat(emulator.deleteExpiredItems(limiter.settings().table(), Instant.ofEpochSecond(WINDOW_START + 121))).isEqualTo(1);
    }

    @Test
    void aMissingTableFailsOpen() {
        DynamoDbRateLimiter limiter = new DynamoDbRateLimiter(client, settings("no-such-table", 1, 1),
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(acquireTimes(limiter, new RateLimitSubject.User("user-1"), 3)).isEqualTo(RateLimitDecision.ALLOWED);
    }

    @Test
    void concurrentRequestsNeverGetPastTheLimit() throws Exception {
        DynamoDbRateLimiter limiter = limiter(10, 300, NOW);
        RateLimitSubject.User user = new RateLimitSubject.User("burst");
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var decisions = threads.invokeAll(IntStream.range(0, 40)
                    .mapToObj(i -> (java.util.concurrent.Callable<RateLimitDecision>) () -> limiter.acquire(user)).toList());
            long allowed = 0;
            for (var decision : decisions) {
                if (decision.get() instanceof RateLimitDecision.Allowed) {
                    allowed++;
                }
            }
            assertThat(allowed).isEqualTo(10);
        }
        assertThat(client.getItem(r -> r.tableName(limiter.settings().table())
                .key(Map.of(RateLimitTable.KEY, AttributeValue.fromS("user#burst#" + WINDOW_START)))).item()
                .get(RateLimitTable.COUNT).n()).isEqualTo("10");
    }
}
