package dev.pipedesk.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduledShellTest {
    private record Done(int sent) {
    }

    private static final Done DONE = new Done(1);

    private final List<String> ran = new ArrayList<>();

    private ScheduledJob job(String name, RuntimeException failure) {
        return new ScheduledJob() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Record run() {
                ran.add(name);
                if (failure != null) {
                    throw failure;
                }
                return DONE;
            }
        };
    }

    private static ByteArrayInputStream event(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void runsEveryJobInOrderAndSummarizesThem() {
        RunSummary summary = new ScheduledShell(List.of(job("first", null), job("second", null)))
                .apply(event("{\"id\":\"e-1\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\"}"));

        assertThat(ran).containsExactly("first", "second");
        assertThat(summary.jobs()).containsExactly(entry("first", DONE), entry("second", DONE));
    }

    @Test
    void aFailingJobDoesNotStopTheOthersButFailsTheInvocation() {
        ScheduledShell run = new ScheduledShell(List.of(job("renewal", new IllegalStateException("boom")), job("outbox_relay", null)));

        assertThatThrownBy(() -> run.apply(event("{}"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("renewal");
        assertThat(ran).containsExactly("renewal", "outbox_relay");
    }

    @Test
    void runsEvenWhenTheTriggerIsNotAScheduledEvent() {
        new ScheduledShell(List.of(job("outbox_relay", null))).apply(event("not json"));

        assertThat(ran).containsExactly("outbox_relay");
    }
}
