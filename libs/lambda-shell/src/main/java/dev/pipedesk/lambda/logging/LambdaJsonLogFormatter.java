package dev.pipedesk.lambda.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import dev.pipedesk.lambda.LambdaInvocation;
import java.util.Map;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.JsonWriterStructuredLogFormatter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * A function's log line in AWS: one JSON object per line (Spring Boot's structured logging, which
 * does the JSON writing and escaping), the fields CloudWatch Logs Insights discovers by name:
 *
 * <pre>{@code
 * {"timestamp":"2026-01-01T12:00:00.123Z","level":"WARN","logger":"dev.pipedesk.auditwriter.AuditLogWriter",
 *  "message":"audit-writer rejected messageId=…","requestId":"…","function":"pipedesk-prod-audit-writer","coldStart":false}
 * }</pre>
 *
 * {@code userId} is there on API routes once the caller is known, {@code exception} (type, message
 * and stack trace as one string) when the line carries one. Selected by
 * {@link LogFormatEnvironmentPostProcessor} when Lambda's log format is JSON.
 */
public final class LambdaJsonLogFormatter extends JsonWriterStructuredLogFormatter<ILoggingEvent> {

    /** @param customizer Spring Boot's {@code logging.structured.json.*} settings, if any */
    public LambdaJsonLogFormatter(StructuredLoggingJsonMembersCustomizer<?> customizer) {
        super(LambdaJsonLogFormatter::members, customizer);
    }

    public LambdaJsonLogFormatter() {
        this(null);
    }

    private static void members(JsonWriter.Members<ILoggingEvent> members) {
        members.add("timestamp", ILoggingEvent::getInstant).as(Object::toString);
        members.add("level", ILoggingEvent::getLevel).as(Object::toString);
        members.add("logger", ILoggingEvent::getLoggerName);
        members.add("message", ILoggingEvent::getFormattedMessage);
        members.add(LambdaInvocation.REQUEST_ID, event -> mdc(event, LambdaInvocation.REQUEST_ID)).whenNotNull();
        members.add(LambdaInvocation.FUNCTION, event -> mdc(event, LambdaInvocation.FUNCTION)).whenNotNull();
        members.add(LambdaInvocation.COLD_START, event -> mdc(event, LambdaInvocation.COLD_START)).whenNotNull()
                .as(Boolean::parseBoolean);
        members.add(LambdaInvocation.USER_ID, event -> mdc(event, LambdaInvocation.USER_ID)).whenNotNull();
        members.add("exception", ILoggingEvent::getThrowableProxy).whenNotNull().as(ThrowableProxyUtil::asString);
    }

    private static String mdc(ILoggingEvent event, String key) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        return mdc == null ? null : mdc.get(key);
    }
}
