package dev.pipedesk.audit.testing;

import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Env;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the audit outbox tests run against: a {@link TestDatabase} and a {@link LocalSqs}, started
 * once for the test class, and before each test a fresh queue and an empty {@code audit_outbox}.
 * Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OutboxTestEnvironment environment = new OutboxTestEnvironment();
 * }</pre>
 */
public final class OutboxTestEnvironment implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private TestDatabase database;
    private LocalSqs sqs;
    private String queueUrl;

    @Override
    public void beforeAll(ExtensionContext context) {
        database = TestDatabase.start();
        sqs = LocalSqs.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        sqs.close();
        database.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        queueUrl = sqs.createQueue("audit-" + UUID.randomUUID());
        database.execute("delete from audit_outbox");
    }

    public TestDatabase database() {
        return database;
    }

    /** Superuser connections to the test database. */
    public DataSource dataSource() {
        return database.dataSource();
    }

    public LocalSqs sqs() {
        return sqs;
    }

    /** This test's queue. */
    public String queueUrl() {
        return queueUrl;
    }

    /** Receives (and deletes) every message now visible on this test's queue. */
    public List<Message> receiveAll() {
        return sqs.receiveAll(queueUrl);
    }

    /** A sender to this test's queue. */
    public SqsOutboxSender sender() {
        return SqsOutboxSender.fromEnv(new Env(sqs.env(queueUrl)));
    }

    /** A sender to this test's queue through a port nothing listens on: SQS is down. */
    public SqsOutboxSender senderWithSqsDown() {
        return SqsOutboxSender.fromEnv(new Env(LocalSqs.unreachableEnv(queueUrl)));
    }
}
