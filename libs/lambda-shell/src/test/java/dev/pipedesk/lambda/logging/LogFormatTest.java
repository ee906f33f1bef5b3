package dev.pipedesk.lambda.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import dev.pipedesk.lambda.LambdaInvocation;
import dev.pipedesk.lambda.LambdaShell;
import dev.pipedesk.lambda.TestInvocation;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

/**
 * The log lines of a function's Spring application, logged as the code logs them
 * ({@code java.util.logging}, bridged into Spring Boot's logging), inside a shell's invocation:
 * JSON when Lambda's log format is JSON, the plain lines of today otherwise.
 */
class LogFormatTest {
    private static final String FORMAT = "AWS_LAMBDA_LOG_FORMAT";
    private static final Logger LOG = Logger.getLogger(LogFormatTest.class.getName());

    @SpringBootConfiguration
    static class Function {
        @Bean
        LambdaShell<String> shell() {
            return new LambdaShell<>(null) {
                @Override
                public String apply(InputStream rawEvent) {
                    LambdaInvocation.userId("u-7");
                    LOG.warning("rejected messageId=m-1 reason=\"not an object\"");
                    return "ok";
                }
            };
        }
    }

    @AfterEach
    void plainAgain() {
        System.clearProperty(FORMAT);
    }

    /** The lines the invocation wrote to standard output. */
    private static List<String> invocationOutput() {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (ConfigurableApplicationContext context = new SpringApplication(Function.class).run()) {
            @SuppressWarnings("unchecked")
            LambdaShell<String> shell = context.getBean(LambdaShell.class);
            LambdaInvocation.restored();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                shell.apply(TestInvocation.of("req-1", "audit-writer", "{}"));
            } finally {
                System.setOut(console);
            }
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    }

    @Test
    void jsonLinesWhenLambdasLogFormatIsJson() {
        System.setProperty(FORMAT, "JSON");

        List<String> lines = invocationOutput();

        assertThat(lines).singleElement().satisfies(line -> {
            JsonNode json = Json.MAPPER.readTree(line);
            assertThat(json.path("level").asString()).isEqualTo("WARN");
            assertThat(json.path("logger").asString()).isEqualTo(LogFormatTest.class.getName());
            assertThat(json.path("message").asString()).isEqualTo("rejected messageId=m-1 reason=\"not an object\"");
            assertThat(json.path("requestId").asString()).isEqualTo("req-1");
            assertThat(json.path("function").asString()).isEqualTo("audit-writer");
            assertThat(json.path("coldStart").asBoolean()).isTrue();
            assertThat(json.path("userId").asString()).isEqualTo("u-7");
            assertThat(json.path("timestamp").asString()).endsWith("Z");
        });
    }

    @Test
    void plainLinesOtherwise() {
        List<String> lines = invocationOutput();

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).doesNotStartWith("{").contains("WARN").contains(LogFormatTest.class.getSimpleName())
                    .endsWith("rejected messageId=m-1 reason=\"not an object\"");
            assertThat(line).doesNotContain("req-1").doesNotContain("coldStart");
        });
    }

    @Test
    void textFormatIsPlainToo() {
        System.setProperty(FORMAT, "Text");

        assertThat(invocationOutput()).singleElement().satisfies(line -> assertThat(line).doesNotStartWith("{"));
    }
}
