package dev.pipedesk.core.audit;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/** The field-level difference between two versions of an entity, JSON types kept. */
public final class AuditChanges {
    private AuditChanges() {
    }

    /**
     * {@code {field: {old, new}}} for every top-level field whose value differs between the two
     * JSON objects (a missing field counts as null), except the {@code ignored} ones.
     */
    public static Map<String, AuditEvent.Change> diff(JsonNode before, JsonNode after, Set<String> ignored) {
        Set<String> fields = new LinkedHashSet<>();
        before.propertyNames().forEach(fields::add);
        after.propertyNames().forEach(fields::add);
        Map<String, AuditEvent.Change> changes = new LinkedHashMap<>();
        for (String field : fields) {
            if (ignored.contains(field)) {
                continue;
            }
            JsonNode oldValue = before.has(field) ? before.get(field) : NullNode.getInstance();
            JsonNode newValue = after.has(field) ? after.get(field) : NullNode.getInstance();
            if (!oldValue.equals(newValue)) {
                changes.put(field, new AuditEvent.Change(oldValue, newValue));
            }
        }
        return changes;
    }
}
