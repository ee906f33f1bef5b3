package dev.pipedesk.audit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ, the SQS-compatible server, in this JVM on a free port, with a real {@link SqsClient}
 * talking to it.
 */
public final class LocalSqs implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local";

    private final int port;
    private final String endpoint;
    private final SqsClient client;
    private SQSRestServer server;

    private LocalSqs(int port) {
        this.port = port;
        this.endpoint = "http://127.0.0.1:" + port;
        this.server = startServer(port);
        this.client = SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public static LocalSqs start() {
        return new LocalSqs(freePort());
    }

    private static SQSRestServer startServer(int port) {
        SQSRestServer server = SQSRestServerBuilder
                .withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .withAWSRegion(REGION)
                .start();
        server.waitUntilStarted();
        return server;
    }

    /** SQS goes down: nothing listens on its port until {@link #restart()}. */
    public void stop() {
        if (server != null) {
            server.stopAndWait();
            server = null;
        }
    }

    /** SQS comes back on the same port, empty: queues must be created again (same names, same URLs). */
    public void restart() {
        stop();
        server = startServer(port);
    }

    public String endpoint() {
        return endpoint;
    }

    public SqsClient client() {
        return client;
    }

    /** Creates a standard queue; returns its URL. */
    public String createQueue(String name) {
        return client.createQueue(request -> request.queueName(name)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
    }

    /** Receives (and deletes) every message now visible on the queue. */
    public List<Message> receiveAll(String queueUrl) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> received = client.receiveMessage(request -> request.queueUrl(queueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (received.isEmpty()) {
                return all;
            }
            all.addAll(received);
            for (Message message : received) {
                client.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }

    /** The environment a function or {@code SqsOutboxSender.fromEnv} needs to use this queue. */
    public Map<String, String> env(String queueUrl) {
        return Map.of("AUDIT_QUEUE_URL", queueUrl,
                "AWS_ENDPOINT_URL_SQS", endpoint,
                "AWS_REGION", REGION,
                "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** Like {@link #env}, but pointing at a port nothing listens on: SQS is down. */
    public static Map<String, String> unreachableEnv(String queueUrl) {
        return Map.of("AUDIT_QUEUE_URL", queueUrl,
                "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:" + freePort(),
                "AWS_REGION", REGION,
                "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    @Override
    public void close() {
        client.close();
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
