package dev.pipedesk.local;

import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.state.RateLimitSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What each function of the local stack is configured with, sync included. */
class FunctionEnvironmentsTest {
    private static final String SQS = "http://127.0.0.1:9324";
    private static final String SYNC_QUEUE = SQS + "/000000000000/pipedesk-calendar-sync.fifo";
    private static final String AUDIT_QUEUE = SQS + "/000000000000/pipedesk-audit";
    private static final String GATEWAY = "http://127.0.0.1:3000";

    private static FunctionEnvironments environments(LocalStackOptions.Sync sync, Map<String, Map<String, String>> overrides) {
        return new FunctionEnvironments(
                new DatabaseSettings("jdbc:postgresql://localhost:5432/pipedesk", "postgres", "postgres", 4),
                new DatabaseSettings("jdbc:postgresql://localhost:5432/pipedesk", "pipedesk_audit_writer", "secret", 4),
                new DatabaseSettings("jdbc:postgresql://localhost:5432/pipedesk", "pipedesk_timeline_reader", "reader", 4),
                Map.of("JWT_HS256_SECRET", "a-secret-of-at-least-thirty-two-bytes!!"),
                FunctionEnvironments.googleEnvironment("{\"type\":\"service_account\"}", "calendar@pipedesk.local",
                        URI.create("http://127.0.0.1:3001/")),
                new RateLimitSettings("pipedesk-rate-limits", 600, 300, "us-east-1", URI.create("http://127.0.0.1:8000")),
                URI.create(SQS), AUDIT_QUEUE, SYNC_QUEUE, URI.create(GATEWAY), sync, overrides);
    }

    private static Map<String, String> of(LocalFunctions.Definition function) {
        return environments(LocalStackOptions.Sync.defaults(), Map.of()).of(function);
    }

    @Test
    void theWebhookGetsTheDatabaseAndTheSyncQueueButNoGoogleKey() {
        Map<String, String> webhook = of(LocalFunctions.WEBHOOK);

        assertThat(webhook).containsEntry("DATABASE_URL", "jdbc:postgresql://localhost:5432/pipedesk")
                .containsEntry("DATABASE_POOL_SIZE", "2")
                .containsEntry("CALENDAR_SYNC_QUEUE_URL", SYNC_QUEUE)
                .containsEntry("AWS_ENDPOINT_URL_SQS", SQS)
                .containsEntry("AWS_REGION", "us-east-1")
                .containsEntry("AWS_ACCESS_KEY_ID", "local")
                .containsEntry("AWS_SECRET_ACCESS_KEY", "local")
                .containsEntry("RATE_LIMIT_TABLE", "pipedesk-rate-limits");
        assertThat(webhook.keySet()).noneMatch(name -> name.startsWith("GOOGLE_"))
                .doesNotContain("AUDIT_QUEUE_URL", "WEBHOOK_BASE_URL");
    }

    @Test
    void theSyncWorkerGetsGoogleTheDatabaseAndTheAuditQueue() {
        Map<String, String> sync = of(LocalFunctions.CALENDAR_SYNC);

        assertThat(sync).containsEntry("GOOGLE_SERVICE_ACCOUNT_JSON", "{\"type\":\"service_account\"}")
                .containsEntry("GOOGLE_IMPERSONATE_USER", "calendar@pipedesk.local")
                .containsEntry("GOOGLE_CALENDAR_ROOT_URL", "http://127.0.0.1:3001/")
                .containsEntry("DATABASE_USER", "postgres")
                .containsEntry("AUDIT_QUEUE_URL", AUDIT_QUEUE)
                .containsEntry("AWS_ENDPOINT_URL_SQS", SQS);
        assertThat(sync).doesNotContainKeys("CALENDAR_SYNC_QUEUE_URL", "WEBHOOK_BASE_URL", "RATE_LIMIT_TABLE");
    }

    @Test
    void channelRenewalOpensChannelsToTheGatewayAndRunsTheBackstopEvery30Seconds() {
        Map<String, String> renewal = of(LocalFunctions.CHANNEL_RENEWAL);

        assertThat(renewal).containsEntry("WEBHOOK_BASE_URL", GATEWAY)
                .containsEntry("SYNC_BACKSTOP_SECONDS", "30")
                .containsEntry("CALENDAR_SYNC_QUEUE_URL", SYNC_QUEUE)
                .containsEntry("AUDIT_QUEUE_URL", AUDIT_QUEUE)
                .containsEntry("GOOGLE_CALENDAR_ROOT_URL", "http://127.0.0.1:3001/")
                .containsKey("DATABASE_URL");
        assertThat(renewal).doesNotContainKeys("GOOGLE_SYNC_CALENDARS", "CHANNEL_RENEW_BEFORE_SECONDS");
    }

    @Test
    void theCalendarFunctionOpensChannelsAndAsksForSyncs() {
        Map<String, String> calendar = of(LocalFunctions.CALENDAR);

        assertThat(calendar).containsEntry("WEBHOOK_BASE_URL", GATEWAY)
                .containsEntry("CALENDAR_SYNC_QUEUE_URL", SYNC_QUEUE)
                .containsEntry("AUDIT_QUEUE_URL", AUDIT_QUEUE)
                .containsKey("GOOGLE_SERVICE_ACCOUNT_JSON");
        assertThat(calendar).doesNotContainKey("SYNC_BACKSTOP_SECONDS");
    }

    @Test
    void passesTheSyncVariablesOnWhenSet() {
        LocalStackOptions.Sync sync = LocalStackOptions.Sync.defaults().withCalendars(List.of("primary", "team@pipedesk.local"))
                .withBackstop(Duration.ofSeconds(5)).withRenewBefore(Duration.ofSeconds(120));
        FunctionEnvironments environments = environments(sync, Map.of());

        for (LocalFunctions.Definition function : List.of(LocalFunctions.CALENDAR, LocalFunctions.CHANNEL_RENEWAL,
                LocalFunctions.WEBHOOK, LocalFunctions.CALENDAR_SYNC)) {
            assertThat(environments.of(function)).as(function.name())
                    .containsEntry("GOOGLE_SYNC_CALENDARS", "primary,team@pipedesk.local");
        }
        assertThat(environments.of(LocalFunctions.CHANNEL_RENEWAL)).containsEntry("SYNC_BACKSTOP_SECONDS", "5")
                .containsEntry("CHANNEL_RENEW_BEFORE_SECONDS", "120");
        assertThat(environments.of(LocalFunctions.TIMELINE)).doesNotContainKey("GOOGLE_SYNC_CALENDARS");
    }

    @Test
    void givesTheOtherFunctionsNothingOfSync() {
        assertThat(of(LocalFunctions.TIMELINE).keySet()).noneMatch(name -> name.startsWith("GOOGLE_"))
                .doesNotContain("CALENDAR_SYNC_QUEUE_URL", "WEBHOOK_BASE_URL", "AUDIT_QUEUE_URL");
        assertThat(of(LocalFunctions.AUDIT_WRITER).keySet())
                .containsExactlyInAnyOrder("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD", "DATABASE_POOL_SIZE");
        assertThat(of(LocalFunctions.AUDIT_WRITER)).containsEntry("DATABASE_USER", "pipedesk_audit_writer");
        assertThat(of(LocalFunctions.TIMELINE)).containsEntry("DATABASE_USER", "pipedesk_timeline_reader")
                .containsEntry("DATABASE_PASSWORD", "reader");
        assertThat(of(LocalFunctions.AUTHORIZER).keySet()).containsExactly("JWT_HS256_SECRET");
    }

    @Test
    void overridesComeLast() {
        Map<String, String> webhook = environments(LocalStackOptions.Sync.defaults(),
                Map.of("webhook", Map.of("CALENDAR_SYNC_QUEUE_URL", "http://elsewhere/queue.fifo"))).of(LocalFunctions.WEBHOOK);

        assertThat(webhook).containsEntry("CALENDAR_SYNC_QUEUE_URL", "http://elsewhere/queue.fifo");
    }
}
