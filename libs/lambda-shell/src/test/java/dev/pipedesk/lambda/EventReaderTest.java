package dev.pipedesk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventReaderTest {
    private final Logger log = Logger.getLogger(EventReaderTest.class.getName());
    private final RecordingHandler capture = new RecordingHandler();
    private final EventReader<SQSEvent> reader = new EventReader<>(SQSEvent.class, log, Level.SEVERE, "unreadable SQS event");

    EventReaderTest() {
        log.addHandler(capture);
    }

    @AfterEach
    void removeCapture() {
        log.removeHandler(capture);
    }

    private static ByteArrayInputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheEventWithTheRuntimesFieldNames() {
        SQSEvent event = reader.read(stream("{\"Records\":[{\"messageId\":\"m-1\",\"body\":\"hello\"}]}")).orElseThrow();

        assertThat(event.getRecords()).singleElement().satisfies(record -> {
            assertThat(record.getMessageId()).isEqualTo("m-1");
            assertThat(record.getBody()).isEqualTo("hello");
        });
        assertThat(capture.records()).isEmpty();
    }

    @Test
    void logsOnlyTheExceptionTypeOfAnUnreadableEvent() {
        assertThat(reader.read(stream("{\"Records\":[{\"body\":\"secret-customer-note\""))).isEmpty();

        assertThat(capture.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(record.getMessage()).matches("unreadable SQS event \\(\\w+\\)").doesNotContain("secret");
            assertThat(record.getThrown()).isNull();
        });
    }

    @Test
    void writesTheJsonItReadsBack() {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m-2");
        message.setBody("{\"a\":1}");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));

        String json = LambdaEventJson.write(event);

        assertThat(json).contains("\"Records\"");
        assertThat(reader.read(stream(json)).orElseThrow().getRecords().getFirst().getBody()).isEqualTo("{\"a\":1}");
    }
}
