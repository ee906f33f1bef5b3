package dev.pipedesk.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class PrimingTest {

    @Test
    void handsOutTheBundledEventAsAFreshStreamEachTime() throws Exception {
        byte[] first;
        try (InputStream event = Priming.event(PrimingTest.class, "events/sqs-receive-message.json")) {
            first = event.readAllBytes();
        }
        try (InputStream again = Priming.event(PrimingTest.class, "events/sqs-receive-message.json")) {
            assertThat(again.readAllBytes()).isEqualTo(first).isNotEmpty();
        }
    }

    @Test
    void refusesAnEventTheFunctionDoesNotBundle() {
        assertThatThrownBy(() -> Priming.event(PrimingTest.class, "priming/missing.json"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("priming/missing.json");
    }
}
