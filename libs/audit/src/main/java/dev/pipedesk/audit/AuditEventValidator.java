package dev.pipedesk.audit;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.pipedesk.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Checks audit events against the contract, the JSON Schema (2020-12) in
 * {@value #SCHEMA_RESOURCE} (documented in docs/audit-events.md). Formats ({@code uuid},
 * {@code date-time}, {@code ipv4}/{@code ipv6}) are asserted, not just annotated.
 *
 * <p>Thread-safe; load it once and reuse it.
 */
public final class AuditEventValidator {
    /** Classpath location of the contract's JSON Schema. */
    public static final String SCHEMA_RESOURCE = "/audit-event.schema.json";

    private final Schema schema;

    private AuditEventValidator(Schema schema) {
        this.schema = schema;
    }

    /** Loads the contract schema from the classpath. */
    public static AuditEventValidator load() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .locale(Locale.ENGLISH)
                .pathType(PathType.JSON_PATH)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(config));
        try (InputStream in = AuditEventValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Audit event schema " + SCHEMA_RESOURCE + " is not on the classpath");
            }
            return new AuditEventValidator(registry.getSchema(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Audit event schema " + SCHEMA_RESOURCE + " could not be read", e);
        }
    }

    /**
     * Validates one event as it arrives on the queue.
     *
     * @return the contract violations, each naming the offending field; empty when valid. Values
     *         of the event are never quoted, so the list is safe to log.
     */
    public List<String> validate(String json) {
        return switch (check(json)) {
            case Checked.Valid valid -> List.of();
            case Checked.Invalid invalid -> invalid.violations();
        };
    }

    /**
     * Parses and validates one event as it arrives on the queue, parsing it once: the parsed
     * event when it keeps the contract, else the violations (as {@link #validate(String)}).
     */
    public Checked check(String json) {
        if (json == null || json.isBlank()) {
            return new Checked.Invalid(List.of("the message body is empty"));
        }
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            return new Checked.Invalid(List.of("the message body is not valid JSON (" + e.getClass().getSimpleName() + ")"));
        }
        List<String> violations = validate(event);
        return violations.isEmpty() ? new Checked.Valid(event) : new Checked.Invalid(violations);
    }

    /** The outcome of {@link #check}: a valid event, parsed, or what is wrong with it. */
    public sealed interface Checked {
        record Valid(JsonNode event) implements Checked {
        }

        /** @param violations each names the offending field, never quotes a value (safe to log) */
        record Invalid(List<String> violations) implements Checked {
        }
    }

    /** Validates an already parsed event; see {@link #validate(String)}. */
    public List<String> validate(JsonNode event) {
        if (event == null || !event.isObject()) {
            return List.of("the event must be a JSON object");
        }
        return schema.validate(event).stream().map(AuditEventValidator::describe).toList();
    }

    private static String describe(Error error) {
        return error.toString();
    }
}
