package dev.pipedesk.lambda.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.pipedesk.core.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LambdaJsonLogFormatterTest {
    private final LambdaJsonLogFormatter formatter = new LambdaJsonLogFormatter();
    private final Logger logger = new LoggerContext().getLogger("dev.pipedesk.auditwriter.AuditLogWriter");

    private static LoggingEvent event(Logger logger, Level level, String message, Throwable thrown, Map<String, String> mdc) {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, null);
        event.setInstant(Instant.parse("2026-01-01T12:00:00.123Z"));
        event.setMDCPropertyMap(mdc);
        return event;
    }

    @Test
    void oneJsonObjectOnOneLineWithTheInvocationsFields() {
        String line = formatter.format(event(logger, Level.WARN, "audit-writer rejected messageId=m-1", null,
                Map.of("requestId", "req-1", "function", "audit-writer", "coldStart", "true", "userId", "u-7")));

        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = Json.MAPPER.readTree(line);
        assertThat(json.path("timestamp").asString()).isEqualTo("2026-01-01T12:00:00.123Z");
        assertThat(json.path("level").asString()).isEqualTo("WARN");
        assertThat(json.path("logger").asString()).isEqualTo("dev.pipedesk.auditwriter.AuditLogWriter");
        assertThat(json.path("message").asString()).isEqualTo("audit-writer rejected messageId=m-1");
        assertThat(json.path("requestId").asString()).isEqualTo("req-1");
        assertThat(json.path("function").asString()).isEqualTo("audit-writer");
        assertThat(json.path("coldStart").isBoolean()).isTrue();
        assertThat(json.path("coldStart").asBoolean()).isTrue();
        assertThat(json.path("userId").asString()).isEqualTo("u-7");
        assertThat(json.has("exception")).isFalse();
    }

    @Test
    void quotesNewlinesAndControlCharactersAreEscaped() {
        String message = "a \"quoted\" value,\na second line\tand a \\ backslash \u0001 {\"forged\":true}";

        String line = formatter.format(event(logger, Level.INFO, message, null, Map.of()));

        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = Json.MAPPER.readTree(line);
        assertThat(json.path("message").asString()).isEqualTo(message);
        assertThat(json.has("forged")).isFalse();
    }

    @Test
    void theExceptionIsOneStringWithItsTypeMessageAndStackTrace() {
        IllegalStateException failure = new IllegalStateException("boom", new RuntimeException("root \"cause\""));

        String line = formatter.format(event(logger, Level.ERROR, "Scheduled job renewal failed", failure, Map.of()));

        assertThat(line.strip()).doesNotContain("\n");
        String exception = Json.MAPPER.readTree(line).path("exception").asString();
        assertThat(exception).startsWith("java.lang.IllegalStateException: boom")
                .contains("at dev.pipedesk.lambda.logging.LambdaJsonLogFormatterTest")
                .contains("Caused by: java.lang.RuntimeException: root \"cause\"");
    }

    @Test
    void outsideAnInvocationTheInvocationFieldsAreAbsent() {
        JsonNode json = Json.MAPPER.readTree(formatter.format(event(logger, Level.INFO, "Started", null, Map.of())));

        assertThat(json.has("requestId")).isFalse();
        assertThat(json.has("function")).isFalse();
        assertThat(json.has("coldStart")).isFalse();
        assertThat(json.has("userId")).isFalse();
    }
}
