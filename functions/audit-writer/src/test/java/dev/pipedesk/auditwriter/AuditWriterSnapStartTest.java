package dev.pipedesk.auditwriter;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.LambdaEventJson;
import dev.pipedesk.lambda.SnapStartHooks;
import dev.pipedesk.lambda.SnapStartResource;
import dev.pipedesk.testing.LambdaFunctionHarness;
import dev.pipedesk.testing.SnapStartDrill;
import dev.pipedesk.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit-writer's SnapStart hooks, registered by its real wiring (FunctionInvoker started as
 * Lambda does) and called as Lambda calls them, against a real PostgreSQL where the function logs
 * in with the INSERT-only role.
 */
@Tag("integration")
class AuditWriterSnapStartTest {
    private static TestDatabase database;
    private static SnapStartDrill drill;
    private static LambdaFunctionHarness function;
    private static SnapStartResource resource;

    @BeforeAll
    static void start() {
        database = TestDatabase.shared();
        drill = SnapStartDrill.login(database, "snapstart_audit_writer", "pipedesk_audit_writer");
        function = LambdaFunctionHarness.start(AuditWriterApplication.class, drill.env());
        resource = SnapStartHooks.registered("audit-writer");
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    /** One new audit event (the priming event's, with a new id) delivered as the queue delivers it; returns the response. */
    private static String writeOneEvent(String eventId) {
        SQSEvent priming = EventLoader.loadSQSEvent("priming/event.json");
        SQSEvent.SQSMessage message = priming.getRecords().getFirst();
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(message.getBody());
        body.put("event_id", eventId).put("request_id", "snapstart-test");
        message.setBody(Json.write(body));
        priming.setRecords(List.of(message));
        return function.invoke(LambdaEventJson.write(priming));
    }

    @Test
    void primesWithoutADatabaseSessionAndWritesNothing() throws Exception {
        drill.assertPrimesWithoutTheDatabaseAndWritesNothing(resource);

        assertThat(database.count("select count(*) from audit_logs where request_id = 'snapstart-priming'")).isZero();
    }

    @Test
    void writesAfterARestoreOnANewConnectionNeverOneFromBeforeTheSnapshot() throws Exception {
        var written = drill.assertRestoresOnNewSessions(resource, () -> {
            String eventId = UUID.randomUUID().toString();
            assertThat(Json.MAPPER.readTree(writeOneEvent(eventId)).get("batchItemFailures")).isEmpty();
            return eventId;
        });

        assertThat(database.count("select count(*) from audit_logs where event_id in ('" + written.beforeSnapshot()
                + "', '" + written.afterRestore() + "')")).isEqualTo(2);
    }
}
