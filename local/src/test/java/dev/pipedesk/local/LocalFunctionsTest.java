package dev.pipedesk.local;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.local.gateway.Route;
import dev.pipedesk.localaws.LocalSqs;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class LocalFunctionsTest {

    @Test
    void routesEveryDeployedApiRouteToItsFunction() {
        assertThat(LocalFunctions.ROUTES).extracting(Route::routeKey).containsExactlyElementsOf(
                Arrays.stream(ApiRoute.values()).filter(route -> !route.localOnly()).map(ApiRoute::routeKey).toList());
        assertThat(LocalFunctions.ROUTES).allSatisfy(route -> assertThat(route.function()).as(route.routeKey())
                .isEqualTo(ApiRoute.withRouteKey(route.routeKey()).servedBy().functionName()));
        assertThat(LocalFunctions.ROUTES).filteredOn(route -> route.pathTemplate().startsWith("/api/calendar/")
                        || route.pathTemplate().startsWith("/api/emails"))
                .allSatisfy(route -> assertThat(route.function()).isEqualTo(LocalFunctions.CALENDAR.name()));
        assertThat(LocalFunctions.ROUTES).filteredOn(route -> route.pathTemplate().startsWith("/api/timeline/")
                        || route.pathTemplate().startsWith("/api/audit-logs"))
                .allSatisfy(route -> assertThat(route.function()).isEqualTo(LocalFunctions.TIMELINE.name()));
    }

    @Test
    void everyApiRouteIsBehindTheAuthorizerAndGooglesWebhookIsNot() {
        assertThat(LocalFunctions.ROUTES).filteredOn(route -> route.pathTemplate().startsWith("/api/"))
                .isNotEmpty().allSatisfy(route -> assertThat(route.authorized()).as(route.routeKey()).isTrue());
        assertThat(LocalFunctions.ROUTES).filteredOn(route -> !route.authorized())
                .containsExactly(Route.open("POST", "/webhooks/google-calendar", LocalFunctions.WEBHOOK.name()));
    }

    @Test
    void leavesTheLocalOnlyRoutesToTheGateway() {
        assertThat(LocalFunctions.ROUTES).extracting(Route::routeKey).doesNotContain(ApiRoute.HEALTH.routeKey(),
                ApiRoute.OPENAPI_DOCUMENT.routeKey(), ApiRoute.API_REFERENCE.routeKey(),
                ApiRoute.API_REFERENCE_ASSET.routeKey(), ApiRoute.INVOKE_FUNCTION.routeKey());
    }

    @Test
    void namesWhatTriggersEachFunction() {
        assertThat(LocalFunctions.triggerOf(LocalFunctions.WEBHOOK)).isEqualTo("HTTP routes");
        assertThat(LocalFunctions.triggerOf(LocalFunctions.CALENDAR_SYNC)).isEqualTo("the SQS queue " + LocalSqs.SYNC_QUEUE);
        assertThat(LocalFunctions.triggerOf(LocalFunctions.AUDIT_WRITER)).isEqualTo("the SQS queue " + LocalSqs.AUDIT_QUEUE);
        assertThat(LocalFunctions.triggerOf(LocalFunctions.CHANNEL_RENEWAL)).isEqualTo("the schedule rule pipedesk-channel-renewal");
        assertThat(LocalFunctions.SCHEDULE).extracting(rule -> rule.function().name()).containsExactly("channel-renewal");
        assertThat(LocalFunctions.QUEUE_TRIGGERS).filteredOn(LocalFunctions.QueueTrigger::fifo)
                .extracting(LocalFunctions.QueueTrigger::queueName).containsExactly("pipedesk-calendar-sync.fifo");
    }

    @Test
    void runsTheWebhookAndTheSyncWorkerFromTheirApplicationClasses() {
        assertThat(LocalFunctions.named("webhook")).contains(LocalFunctions.WEBHOOK);
        assertThat(LocalFunctions.WEBHOOK.mainClass()).isEqualTo("dev.pipedesk.webhook.WebhookApplication");
        assertThat(LocalFunctions.named("calendar-sync")).contains(LocalFunctions.CALENDAR_SYNC);
        assertThat(LocalFunctions.CALENDAR_SYNC.mainClass()).isEqualTo("dev.pipedesk.calendarsync.CalendarSyncApplication");
        assertThat(LocalFunctions.named("nonexistent")).isEmpty();
    }
}
