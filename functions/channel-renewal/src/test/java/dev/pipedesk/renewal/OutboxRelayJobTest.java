package dev.pipedesk.renewal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.audit.OutboxRelay;
import dev.pipedesk.audit.OutboxSender;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Env;
import dev.pipedesk.localaws.TestClock;
import dev.pipedesk.testing.OutboxTestEnvironment;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the relay job stops, against a real PostgreSQL and SQS (ElasticMQ). */
@Tag("integration")
class OutboxRelayJobTest {
    @RegisterExtension
    static final OutboxTestEnvironment environment = new OutboxTestEnvironment();

    private final TestClock clock = TestClock.aheadOfTheDatabase();

    /** A job with a 20 s budget over a relay of {@code batchSize} rows a pass. */
    private OutboxRelayJob job(OutboxSender sender, int batchSize) {
        return new OutboxRelayJob(new OutboxRelay(environment.dataSource(), sender, clock, batchSize), clock,
                Duration.ofSeconds(20));
    }

    /** A sender to this test's queue. */
    private static SqsOutboxSender sqsSender() {
        return SqsOutboxSender.fromEnv(new Env(environment.producerEnvironment()));
    }

    @Test
    void stopsStartingPassesOnceTheTimeBudgetIsSpent() {
        OutboxFixture.leftInOutbox(environment.dataSource(), 10);
        SqsOutboxSender sender = sqsSender();
        OutboxSender slowSender = messages -> {
            clock.advance(Duration.ofSeconds(15));  // each pass "takes" 15 s
            return sender.send(messages);
        };
        OutboxRelayJob job = job(slowSender, 2);

        assertThat(job.run()).isEqualTo(new OutboxRelayJob.Summary(4, 0, 6, 2, OutboxRelayJob.Stop.TIME_BUDGET_SPENT));
        assertThat(environment.database().count("select count(*) from audit_outbox")).isEqualTo(6);
    }

    @Test
    void stopsWhenAnotherRelayHoldsTheDueRows() throws SQLException {
        OutboxFixture.leftInOutbox(environment.dataSource(), 3);
        OutboxRelayJob job = job(sqsSender(), 10);

        try (Connection otherRelay = environment.dataSource().getConnection(); Statement statement = otherRelay.createStatement()) {
            otherRelay.setAutoCommit(false);
            statement.executeQuery("select id from audit_outbox for update").close();

            assertThat(job.run()).isEqualTo(new OutboxRelayJob.Summary(0, 0, 3, 1, OutboxRelayJob.Stop.HELD_BY_ANOTHER_RELAY));
            otherRelay.rollback();
        }
        assertThat(job.run()).isEqualTo(new OutboxRelayJob.Summary(3, 0, 0, 1, OutboxRelayJob.Stop.DRAINED));
    }
}
