package dev.pipedesk.local.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.auth.Role;
import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.local.LocalStack;
import dev.pipedesk.local.testing.Api;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.state.RateLimitSubject;
import dev.pipedesk.state.RateLimitTable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The per-user rate limit through the whole local stack: gateway, authorizer, the API functions'
 * shell, and DynamoDB (the in-process emulator). The stack is shared with every other e2e test
 * and runs the production limit (600 per user and minute), so this test uses users of its own and
 * uses up a user's limit by setting its counters to the limit, in the current and the next window
 * (so a minute boundary between the set-up and the request cannot change the outcome).
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class RateLimitTest {

    private static void useUpTheLimit(LocalStack stack, String userId) {
        RateLimitSettings settings = stack.rateLimitSettings();
        Instant window = RateLimitTable.windowStart(Instant.now());
        try (DynamoDbClient client = DynamoDbRateLimiter.client(settings, Duration.ofSeconds(10),
                DynamoDbRateLimiter.dummyCredentials())) {
            for (Instant start : new Instant[] {window, window.plus(RateLimitTable.WINDOW)}) {
                client.putItem(request -> request.tableName(settings.table()).item(Map.of(
                        RateLimitTable.KEY, AttributeValue.fromS(RateLimitTable.key(new RateLimitSubject.User(userId), start)),
                        RateLimitTable.COUNT, AttributeValue.fromN(Integer.toString(settings.userLimitPerMinute())),
                        RateLimitTable.EXPIRES_AT, AttributeValue.fromN(Long.toString(start.plusSeconds(120).getEpochSecond())))));
            }
        }
    }

    private static Optional<Integer> counter(LocalStack stack, String userId) {
        RateLimitSettings settings = stack.rateLimitSettings();
        try (DynamoDbClient client = DynamoDbRateLimiter.client(settings, Duration.ofSeconds(10),
                DynamoDbRateLimiter.dummyCredentials())) {
            Instant window = RateLimitTable.windowStart(Instant.now());
            var item = client.getItem(request -> request.tableName(settings.table()).key(Map.of(RateLimitTable.KEY,
                    AttributeValue.fromS(RateLimitTable.key(new RateLimitSubject.User(userId), window))))).item();
            return item.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(item.get(RateLimitTable.COUNT).n()));
        }
    }

    @Test
    void aUserOverTheLimitGets429WithRetryAfterFromEveryApiFunctionAndOthersAreStillServed(Api api, LocalStack stack) {
        LocalStackExtension.requireFunction(LocalFunctions.CALENDAR.name());
        LocalStackExtension.requireFunction(LocalFunctions.TIMELINE.name());
        useUpTheLimit(stack, "rate-limited-user");

        ApiResponse calendar = api.as(Role.ADMIN, "rate-limited-user").get("/api/calendar/events");
        ApiResponse timeline = api.as(Role.ADMIN, "rate-limited-user").get("/api/audit-logs");
        ApiResponse other = api.as(Role.ADMIN, "not-rate-limited-user").get("/api/calendar/events");

        for (ApiResponse refused : new ApiResponse[] {calendar, timeline}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
            assertThat(refused.errorCode()).hasValue("rate_limited");
            assertThat(refused.header("content-type")).hasValue("application/json");
            assertThat(refused.header("retry-after")).hasValueSatisfying(seconds ->
                    assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        }
        assertThat(other.status()).as(other.toString()).isEqualTo(200);
    }

    @Test
    void everyServedRequestIsCountedForItsUser(Api api, LocalStack stack) {
        LocalStackExtension.requireFunction(LocalFunctions.CALENDAR.name());
        Optional<Integer> before = counter(stack, "counted-user");

        ApiResponse response = api.as(Role.VIEWER, "counted-user").get("/api/calendar/events");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        // A new minute may have begun between the two reads: then the new window holds exactly this request.
        assertThat(counter(stack, "counted-user")).hasValueSatisfying(count ->
                assertThat(count).isIn(1, before.orElse(0) + 1));
    }

    @Test
    void dynamoDbIsAHealthComponent(Api api) {
        ApiResponse health = api.anonymous().get("/health");

        assertThat(health.at("/components/dynamodb").asString()).isEqualTo("up");
    }
}
