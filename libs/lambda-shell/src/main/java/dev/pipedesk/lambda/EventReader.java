package dev.pipedesk.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads one kind of Lambda event from the raw invocation stream, with the Lambda runtime's own
 * serializer; every shell reads its event here (why the raw stream: {@code docs/architecture.md},
 * "Lambda shells"). An unreadable event is logged with the exception's type only: the parser's
 * message may quote the event, headers and tokens included.
 *
 * @param <T> the AWS event class
 */
public final class EventReader<T> {
    private final PojoSerializer<T> serializer;
    private final Logger log;
    private final Level level;
    private final String unreadable;

    /**
     * @param eventType  the AWS event class
     * @param log        where an unreadable event is logged
     * @param level      at which level
     * @param unreadable the line logged for an unreadable event; {@code " (<exception type>)"} is added
     */
    public EventReader(Class<T> eventType, Logger log, Level level, String unreadable) {
        this.serializer = LambdaEventJson.serializerFor(eventType);
        this.log = Objects.requireNonNull(log, "log");
        this.level = Objects.requireNonNull(level, "level");
        this.unreadable = Objects.requireNonNull(unreadable, "unreadable");
    }

    /** The event, or empty (and logged) when the stream does not hold one. */
    public Optional<T> read(InputStream rawEvent) {
        T event;
        try {
            event = serializer.fromJson(rawEvent);
        } catch (RuntimeException e) {
            log.log(level, () -> unreadable + " (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
        if (event == null) {
            log.log(level, () -> unreadable + " (no event)");
        }
        return Optional.ofNullable(event);
    }
}
