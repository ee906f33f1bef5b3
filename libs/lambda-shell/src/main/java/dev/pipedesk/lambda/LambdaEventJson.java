package dev.pipedesk.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lambda event JSON as AWS's Java runtime reads and writes it: with the runtime's own serializer
 * ({@link LambdaEventSerializers}), which knows the events' real field names ({@code Records},
 * {@code detail-type}, ...).
 */
public final class LambdaEventJson {
    private LambdaEventJson() {
    }

    public static <T> PojoSerializer<T> serializerFor(Class<T> eventType) {
        return LambdaEventSerializers.serializerFor(eventType, LambdaEventJson.class.getClassLoader());
    }

    /** The event as the JSON a function receives for it (tests build invocations with this). */
    @SuppressWarnings("unchecked")
    public static <T> String write(T event) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        serializerFor((Class<T>) event.getClass()).toJson(event, json);
        return json.toString(StandardCharsets.UTF_8);
    }
}
