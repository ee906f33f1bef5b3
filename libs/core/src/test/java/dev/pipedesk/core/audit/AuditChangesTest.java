package dev.pipedesk.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AuditChangesTest {

    private static JsonNode json(String text) {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void reportsOnlyChangedFieldsWithTheirJsonTypes() {
        Map<String, AuditEvent.Change> changes = AuditChanges.diff(
                json("{\"summary\":\"A\",\"amount\":10,\"tags\":[\"x\"],\"same\":true,\"updated_at\":\"t1\"}"),
                json("{\"summary\":\"B\",\"amount\":12.5,\"tags\":[\"x\",\"y\"],\"same\":true,\"updated_at\":\"t2\"}"),
                Set.of("updated_at"));

        assertThat(changes).containsOnlyKeys("summary", "amount", "tags");
        assertThat(changes.get("amount").oldValue().isNumber()).isTrue();
        assertThat(changes.get("amount").newValue().asDouble()).isEqualTo(12.5);
        assertThat(changes.get("tags").newValue().isArray()).isTrue();
    }

    @Test
    void aFieldThatAppearsOrDisappearsChangesFromOrToNull() {
        Map<String, AuditEvent.Change> changes = AuditChanges.diff(json("{\"a\":1}"), json("{\"b\":2}"), Set.of());

        assertThat(changes.get("a").newValue().isNull()).isTrue();
        assertThat(changes.get("b").oldValue().isNull()).isTrue();
    }
}
