package dev.pipedesk.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqsBatchShellTest {
    private final List<QueuedMessage> handled = new ArrayList<>();

    private static ByteArrayInputStream event(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void handsTheMessagesOverAndReportsTheFailedOnesAsBatchItemFailures() {
        SqsBatchShell shell = new SqsBatchShell("test-consumer", messages -> {
            handled.addAll(messages);
            return List.of("m-2");
        });

        SQSBatchResponse response = shell.apply(event("""
                {"Records":[{"messageId":"m-1","body":"first","eventSource":"aws:sqs"},
                            {"messageId":"m-2","body":"second","eventSource":"aws:sqs"}]}"""));

        assertThat(handled).containsExactly(new QueuedMessage("m-1", "first"), new QueuedMessage("m-2", "second"));
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-2");
    }

    @Test
    void anEventWithoutRecordsIsAnEmptyBatch() {
        SQSBatchResponse response = new SqsBatchShell("test-consumer", messages -> {
            handled.addAll(messages);
            return List.of();
        }).apply(event("{}"));

        assertThat(handled).isEmpty();
        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void anEventThatIsNotAnSqsEventFailsTheInvocationSoTheBatchIsRetried() {
        SqsBatchShell shell = new SqsBatchShell("test-consumer", messages -> List.of());

        assertThatThrownBy(() -> shell.apply(event("[1, 2, 3]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("The test-consumer needs an SQS event");
    }
}
