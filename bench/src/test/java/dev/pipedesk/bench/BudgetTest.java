package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetTest {

    @Test
    void interleavedRunsEveryCallOncePerIterationRotatingWhichGoesFirst() {
        List<String> order = new ArrayList<>();

        List<Latencies> latencies = Budget.interleaved(2, 3, 60, List.of(() -> order.add("a"), () -> order.add("b"),
                () -> order.add("c")));

        assertThat(latencies).hasSize(3).allSatisfy(l -> assertThat(l.count()).isEqualTo(3));
        assertThat(order).containsExactly(
                "a", "b", "c", "b", "c", "a",                 // warm-up
                "a", "b", "c", "b", "c", "a", "c", "a", "b"); // measured
    }
}
