package dev.pipedesk.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SqsOutboxSenderTest {

    private static List<OutboxMessage> messages(int count, int bodyBytes) {
        return IntStream.range(0, count).mapToObj(i -> new OutboxMessage("e" + i, "x".repeat(bodyBytes))).toList();
    }

    @Test
    void batchesHoldAtMostTenMessages() {
        assertThat(SqsOutboxSender.batches(messages(23, 10))).extracting(List::size).containsExactly(10, 10, 3);
    }

    @Test
    void batchesStayWithinTheRequestSizeLimit() {
        assertThat(SqsOutboxSender.batches(messages(5, 100_000))).extracting(List::size).containsExactly(2, 2, 1);
    }

    @Test
    void anOversizedMessageTravelsAloneSoOnlyItFails() {
        List<OutboxMessage> mixed = List.of(new OutboxMessage("small", "x"),
                new OutboxMessage("huge", "x".repeat(SqsOutboxSender.MAX_BATCH_BYTES + 1)), new OutboxMessage("small2", "x"));

        assertThat(SqsOutboxSender.batches(mixed)).extracting(List::size).containsExactly(1, 1, 1);
    }

    @Test
    void keepsTheOrder() {
        assertThat(SqsOutboxSender.batches(messages(12, 1)).stream().flatMap(List::stream).map(OutboxMessage::eventId))
                .containsExactlyElementsOf(messages(12, 1).stream().map(OutboxMessage::eventId).toList());
    }
}
