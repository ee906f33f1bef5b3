package dev.pipedesk.lambda;

import dev.pipedesk.core.Json;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads the messages of an SQS event from the raw invocation stream: one streaming pass with the
 * project's Jackson ({@link Json#MAPPER}) that keeps only what {@link SqsBatchShell} hands on —
 * each record's {@code messageId} and {@code body} — and skips the rest (receipt handle,
 * attributes, message attributes, MD5, ARN, ...) without building it. It reads what the Lambda
 * runtime's serializer reads ({@code Records}, each record's fields by their AWS names; see
 * {@code SqsEventReaderTest}) at a fraction of its cost per invocation, which a batch of 10
 * cannot amortise (docs/architecture.md, "Lambda shells").
 *
 * <p>As with {@link EventReader}, an unreadable event is logged with the exception's type only (or
 * what was wrong with its shape), never its content.
 */
public final class SqsEventReader {
    private final Logger log;
    private final Level level;
    private final String unreadable;

    /**
     * @param log        where an unreadable event is logged
     * @param level      at which level
     * @param unreadable the line logged for an unreadable event; {@code " (<reason>)"} is added
     */
    public SqsEventReader(Logger log, Level level, String unreadable) {
        this.log = Objects.requireNonNull(log, "log");
        this.level = Objects.requireNonNull(level, "level");
        this.unreadable = Objects.requireNonNull(unreadable, "unreadable");
    }

    /**
     * The event's messages in order (none for an event without {@code Records}, or with
     * {@code "Records": null}), or empty (and logged) when the stream does not hold an SQS event:
     * not JSON, not an object, {@code Records} not an array of objects, a {@code messageId} or
     * {@code body} that is an object or an array.
     */
    public Optional<List<QueuedMessage>> read(InputStream rawEvent) {
        try (JsonParser parser = Json.MAPPER.createParser(rawEvent)) {
            JsonToken root = parser.nextToken();
            if (root != JsonToken.START_OBJECT) {
                return unreadable(root == null || root == JsonToken.VALUE_NULL ? "no event" : "not an object");
            }
            List<QueuedMessage> messages = List.of();
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                JsonToken value = parser.nextToken();
                if (!name.equals("Records")) {
                    parser.skipChildren();
                } else if (value == JsonToken.VALUE_NULL) {
                    messages = List.of();
                } else if (value != JsonToken.START_ARRAY) {
                    return unreadable("Records is not an array");
                } else {
                    messages = new ArrayList<>();
                    for (JsonToken record = parser.nextToken(); record != JsonToken.END_ARRAY; record = parser.nextToken()) {
                        if (record != JsonToken.START_OBJECT) {
                            return unreadable("a record is not an object");
                        }
                        QueuedMessage message = readRecord(parser);
                        if (message == null) {
                            return unreadable("a record's messageId or body is not a value");
                        }
                        messages.add(message);
                    }
                }
            }
            return Optional.of(messages);
        } catch (RuntimeException e) { // JacksonException included: not JSON, cut short, too large
            return unreadable(e.getClass().getSimpleName());
        }
    }

    /** The record the parser is at the start of, or null when its id or body is structured. */
    private static QueuedMessage readRecord(JsonParser parser) {
        String messageId = null;
        String body = null;
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "messageId" -> {
                    if (value.isStructStart()) {
                        return null;
                    }
                    messageId = parser.getValueAsString();
                }
                case "body" -> {
                    if (value.isStructStart()) {
                        return null;
                    }
                    body = parser.getValueAsString();
                }
                default -> parser.skipChildren();
            }
        }
        return new QueuedMessage(messageId, body);
    }

    private Optional<List<QueuedMessage>> unreadable(String reason) {
        log.log(level, () -> unreadable + " (" + reason + ")");
        return Optional.empty();
    }
}
