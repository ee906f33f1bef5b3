package dev.pipedesk.renewal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.audit.OutboxRelay;
import dev.pipedesk.audit.RelayResult;
import dev.pipedesk.lambda.ScheduledJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Sends what is left in the audit outbox: relay passes until nothing is due, the queue keeps
 * failing, the remaining due rows are held by another relay, or the time budget is spent (a
 * pass is only started within the budget; one pass takes at most one SQS call timeout per 10
 * rows).
 */
public record OutboxRelayJob(OutboxRelay relay, Clock clock, Duration budget) implements ScheduledJob {

    public OutboxRelayJob {
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(budget, "budget");
    }

    @Override
    public String name() {
        return "outbox_relay";
    }

    @Override
    public Summary run() {
        Instant deadline = clock.instant().plus(budget);
        int sent = 0;
        int failed = 0;
        int passes = 0;
        int remaining = 0;
        while (true) {
            if (!clock.instant().isBefore(deadline)) {
                return new Summary(sent, failed, remaining, passes, Stop.TIME_BUDGET_SPENT);
            }
            RelayResult pass = relay.runOnce();
            passes++;
            sent += pass.sent();
            failed += pass.failed();
            remaining = pass.remaining();
            if (pass.sent() == 0 && pass.failed() > 0) {
                return new Summary(sent, failed, remaining, passes, Stop.QUEUE_FAILING);
            }
            if (remaining == 0) {
                return new Summary(sent, failed, remaining, passes, Stop.DRAINED);
            }
            if (pass.sent() == 0) {
                return new Summary(sent, failed, remaining, passes, Stop.HELD_BY_ANOTHER_RELAY);
            }
        }
    }

    /** Why the job stopped. */
    public enum Stop {
        /** Nothing is due any more (rows that failed in this run wait for their backoff). */
        @JsonProperty("drained") DRAINED,
        /** A pass sent nothing and its rows were backed off: the queue is down or refusing. */
        @JsonProperty("queue_failing") QUEUE_FAILING,
        /** Due rows remain, but another relay holds them right now. */
        @JsonProperty("held_by_another_relay") HELD_BY_ANOTHER_RELAY,
        /** The time budget ran out with rows still due; the next run continues. */
        @JsonProperty("time_budget_spent") TIME_BUDGET_SPENT
    }

    /**
     * @param sent      events sent (and removed from the outbox)
     * @param failed    sends that failed (those rows were backed off)
     * @param remaining rows still due when the job stopped
     * @param passes    relay passes run
     * @param stopped   why the job stopped
     */
    public record Summary(@JsonProperty("sent") int sent, @JsonProperty("failed") int failed,
                          @JsonProperty("remaining") int remaining, @JsonProperty("passes") int passes,
                          @JsonProperty("stopped") Stop stopped) {
    }
}
