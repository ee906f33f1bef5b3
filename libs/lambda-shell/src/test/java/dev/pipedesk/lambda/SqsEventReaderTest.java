package dev.pipedesk.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqsEventReaderTest {
    private final Logger log = Logger.getLogger(SqsEventReaderTest.class.getName());
    private final RecordingHandler capture = new RecordingHandler();
    private final SqsEventReader reader = new SqsEventReader(log, Level.SEVERE, "unreadable SQS event");

    SqsEventReaderTest() {
        log.addHandler(capture);
    }

    @AfterEach
    void removeCapture() {
        log.removeHandler(capture);
    }

    private static InputStream stream(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] fixture(String name) {
        try (InputStream in = SqsEventReaderTest.class.getResourceAsStream("/events/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void readsTheMessageIdAndBodyOfEveryRecordOfAwsSampleEvent() {
        List<QueuedMessage> messages = reader.read(new ByteArrayInputStream(fixture("sqs-receive-message.json"))).orElseThrow();

        assertThat(messages).containsExactly(
                new QueuedMessage("059f36b4-87a3-44ab-83d2-661975830a7d", "Test message."),
                new QueuedMessage("2e1424d4-f796-459a-8184-9c92662be6da", "Test message."));
        assertThat(capture.records()).isEmpty();
    }

    @Test
    void decodesEscapedBodiesAndSkipsAttributesAndWhatABodyQuotes() {
        List<QueuedMessage> messages = reader.read(new ByteArrayInputStream(fixture("sqs-receive-message-with-attributes.json")))
                .orElseThrow();

        assertThat(messages).extracting(QueuedMessage::messageId)
                .containsExactly("c80e8021-a70a-42c7-a470-796e1186f753", "a4b1f0c2-0c54-4c11-8f8e-1b2b3c4d5e6f");
        assertThat(messages.getFirst().body()).isEqualTo("{\"schema_version\":1,\"event_id\":\"6f1c2b0e-3d4a-4b5c-9d8e-7f6a5b4c3d2e\","
                + "\"note\":\"Café \\\"quoted\\\"\\n\uD83D\uDE00\",\"Records\":[{\"messageId\":\"inner\"}]}");
        assertThat(messages.get(1).body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqs-receive-message.json", "sqs-receive-message-with-attributes.json"})
    void readsWhatTheLambdaRuntimesSerializerReads(String fixture) {
        EventReader<SQSEvent> runtime = new EventReader<>(SQSEvent.class, log, Level.SEVERE, "unreadable");
        List<QueuedMessage> expected = runtime.read(new ByteArrayInputStream(fixture(fixture))).orElseThrow().getRecords().stream()
                .map(record -> new QueuedMessage(record.getMessageId(), record.getBody())).toList();

        assertThat(reader.read(new ByteArrayInputStream(fixture(fixture))).orElseThrow()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"Records\":null}", "{\"Records\":[]}", "{\"other\":{\"Records\":[{\"messageId\":\"x\"}]}}"})
    void anEventWithoutRecordsHasNoMessages(String json) {
        assertThat(reader.read(stream(json)).orElseThrow()).isEmpty();
        assertThat(capture.records()).isEmpty();
    }

    @Test
    void aMissingIdOrBodyIsNullAsTheRuntimeReadsIt() {
        assertThat(reader.read(stream("{\"Records\":[{\"messageId\":\"m-1\"},{\"body\":\"b\",\"messageId\":null}]}")).orElseThrow())
                .containsExactly(new QueuedMessage("m-1", null), new QueuedMessage(null, "b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[1, 2, 3]", "\"Records\"", "{\"Records\":{}}", "{\"Records\":[1]}",
            "{\"Records\":[{\"messageId\":\"m-1\",\"body\":{\"secret\":1}}]}", "{\"Records\":[{\"body\":\"secret-customer-note\"",
            "{\"Records\":[{\"body\":\"secret-customer-note\" \"x\"}]}"})
    void logsOnlyWhyAnEventIsUnreadableNeverItsContent(String json) {
        assertThat(reader.read(stream(json))).isEmpty();

        assertThat(capture.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(record.getMessage()).startsWith("unreadable SQS event (").doesNotContain("secret");
            assertThat(record.getThrown()).isNull();
        });
    }
}
