package dev.pipedesk.testing;

import dev.pipedesk.localaws.LocalSqs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the audit outbox tests run against: the {@linkplain TestDatabase#shared() shared}
 * {@link TestDatabase} and a {@link LocalSqs} started for the test class, and before each test a
 * fresh queue and an empty {@code audit_outbox}.
 * Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OutboxTestEnvironment environment = new OutboxTestEnvironment();
 * }</pre>
 *
 * A sender to this test's queue is {@code SqsOutboxSender.fromEnv(new Env(environment.producerEnvironment()))}.
 */
public final class OutboxTestEnvironment implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final AtomicInteger queues = new AtomicInteger();
    private TestDatabase database;
    private LocalSqs sqs;
    /** Bound but never listening: connections to its port are refused, and nobody else can take the port. */
    private Socket refusingPort;
    private String queueUrl;

    @Override
    public void beforeAll(ExtensionContext context) {
        database = TestDatabase.shared();
        sqs = LocalSqs.startOnFreePort();
        refusingPort = reservePortNobodyListensOn();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeQuietly(refusingPort);
        sqs.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        queueUrl = sqs.createQueue("audit-test-" + queues.incrementAndGet());
        database.execute("delete from audit_outbox");
    }

    public TestDatabase database() {
        return database;
    }

    /** The local SQS (ElasticMQ) of the test class: for queues of its own, e.g. a FIFO queue. */
    public LocalSqs sqs() {
        return sqs;
    }

    /** Superuser connections to the test database. */
    public DataSource dataSource() {
        return database.dataSource();
    }

    /** Receives (and deletes) every message now visible on this test's queue. */
    public List<Message> receiveAll() {
        return sqs.receiveAll(queueUrl);
    }

    /** What an audit producer (e.g. {@code SqsOutboxSender.fromEnv}) needs to send to this test's queue. */
    public Map<String, String> producerEnvironment() {
        return sqs.producerEnvironment(queueUrl);
    }

    /** Like {@link #producerEnvironment()}, but through a port that refuses every connection: SQS is down. */
    public Map<String, String> producerEnvironmentWithSqsDown() {
        Map<String, String> env = new HashMap<>(producerEnvironment());
        env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:" + refusingPort.getLocalPort());
        return env;
    }

    /**
     * A port held for this environment without listening: unlike a port found free and let go, it
     * cannot be taken by another process meanwhile, so "SQS is down" never meets a stranger.
     */
    private static Socket reservePortNobodyListensOn() {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing holds on to it any more
        }
    }
}
