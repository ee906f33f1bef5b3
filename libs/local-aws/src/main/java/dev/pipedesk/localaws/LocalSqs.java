package dev.pipedesk.localaws;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.http.scaladsl.Http;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.FutureConverters;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SQS on one machine: ElasticMQ in this JVM on 127.0.0.1, holding the audit queue
 * ({@value #AUDIT_QUEUE}, redrive to {@value #AUDIT_DLQ} after {@link SqsOptions#maxReceiveCount()}
 * receives) and its dead-letter queue, and the FIFO calendar sync queue ({@value #SYNC_QUEUE},
 * redrive to the FIFO queue {@value #SYNC_DLQ} after as many receives), spoken to through the real
 * AWS SDK. Both source queues have {@link SqsOptions#visibilityTimeout()}.
 *
 * <p>{@link #stop()} takes the SQS endpoint away (the port stops listening, open connections are
 * cut) to simulate an SQS outage; {@link #start()} brings it back on the same port. The queues
 * and every message they held survive the outage: the queue store (an actor) lives as long as
 * this object, only the HTTP endpoint goes away. A long poll cut off by {@link #stop()} stays
 * registered inside ElasticMQ until its wait time ends: a message arriving meanwhile is received
 * by that vanished client (its receive count goes up by one) and reappears after the visibility
 * timeout, as a message whose receive response was lost would in SQS.
 * {@link #close()} ends it all.
 *
 * <p>The one local SQS of the project: the local stack runs it, the benchmarks measure through
 * it, and tests start their own on a free port ({@link #startOnFreePort()}), with a fresh queue
 * per test ({@link #createQueue}) or the audit queues emptied ({@link #resetQueues()}).
 */
public final class LocalSqs implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String AUDIT_QUEUE = "pipedesk-audit";
    public static final String AUDIT_DLQ = "pipedesk-audit-dlq";
    /**
     * The FIFO queue of calendar sync requests (group = calendar, no content-based de-duplication:
     * each sender gives a {@code MessageDeduplicationId}).
     */
    public static final String SYNC_QUEUE = "pipedesk-calendar-sync.fifo";
    /** Where a sync request lands after {@link SqsOptions#maxReceiveCount()} receives (a FIFO queue, as SQS requires). */
    public static final String SYNC_DLQ = "pipedesk-calendar-sync-dlq.fifo";
    /** Any access key works locally; the functions get these values. */
    public static final String ACCESS_KEY_ID = "local";
    public static final String SECRET_ACCESS_KEY = "local";
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** In-flight requests (long polls) get this long before their connections are cut on {@link #stop()}. */
    private static final FiniteDuration STOP_DEADLINE = FiniteDuration.apply(300, TimeUnit.MILLISECONDS);

    private final SqsOptions options;
    private final ActorSystem actorSystem;
    private final ActorRef queueManager;
    private final List<Runnable> startListeners = new CopyOnWriteArrayList<>();
    private volatile SQSRestServer server;
    private volatile Http.ServerBinding binding;
    private volatile int port;
    private volatile SqsClient client;
    private volatile boolean closed;

    private LocalSqs(SqsOptions options) {
        this.options = options;
        this.port = options.port();
        // ElasticMQ's own application.conf asks for DEBUG; the stack's logging (slf4j-simple) filters it.
        Config config = ConfigFactory.parseMap(Map.of(
                        "pekko.loglevel", "WARNING",
                        "pekko.stdout-loglevel", "WARNING",
                        "pekko.log-dead-letters", "off",
                        "pekko.log-dead-letters-during-shutdown", "off",
                        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off",
                        "pekko.jvm-shutdown-hooks", "off"))
                .withFallback(ConfigFactory.load(LocalSqs.class.getClassLoader()));
        this.actorSystem = ActorSystem.create("pipedesk-sqs", config, LocalSqs.class.getClassLoader());
        this.queueManager = actorSystem.actorOf(Props.create(QueueManagerActor.class,
                () -> new QueueManagerActor(new NowProvider(), StrictSQSLimits$.MODULE$, Option.empty())));
    }

    /**
     * Starts ElasticMQ and creates the audit queue and its dead-letter queue.
     *
     * @throws IllegalStateException when it cannot listen (the message says why, e.g. the port is in use)
     */
    public static LocalSqs start(SqsOptions options) {
        LocalSqs sqs = new LocalSqs(options);
        try {
            sqs.start();
            return sqs;
        } catch (RuntimeException e) {
            sqs.close();
            throw e;
        }
    }

    /** {@link #start(SqsOptions)} with the default queue settings on a free port (tests, benchmarks). */
    public static LocalSqs startOnFreePort() {
        return start(SqsOptions.defaults().withPort(0));
    }

    // --- lifecycle ---------------------------------------------------------------------------

    /** Brings the endpoint (back) up on the same port and makes sure the queues exist. Idempotent. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("The local SQS is closed.");
        }
        if (binding != null) {
            return;
        }
        SQSRestServer started = SQSRestServerBuilder.withActorSystem(actorSystem)
                .withQueueManagerActor(queueManager)
                .withInterface(HOST)
                .withPort(port)
                .withAWSRegion(REGION)
                .withAWSAccountId(ACCOUNT_ID)
                .start();
        Http.ServerBinding bound;
        try {
            bound = FutureConverters.asJava(started.startFuture()).toCompletableFuture()
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("SQS (ElasticMQ) cannot listen on " + HOST + ":" + port + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("SQS (ElasticMQ) did not start within " + START_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting SQS (ElasticMQ)", e);
        }
        server = started;
        binding = bound;
        port = bound.localAddress().getPort();
        if (client == null) {
            client = newClient(endpoint());
        }
        ensureQueues();
        startListeners.forEach(Runnable::run);
    }

    /**
     * Takes the endpoint down, as in an SQS outage: the port stops listening and connections
     * are cut (a long poll in flight gets an error). Queues and messages are kept. Idempotent.
     */
    public synchronized void stop() {
        Http.ServerBinding current = binding;
        if (current == null) {
            return;
        }
        binding = null;
        server = null;
        try {
            FutureConverters.asJava(current.terminate(STOP_DEADLINE)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the port is released either way once the actor system ends; nothing a caller can do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Brings the endpoint (back) up, in case it was stopped, and empties the audit and sync queues and their dead-letter queues. */
    public void resetQueues() {
        start();
        for (String queue : List.of(AUDIT_QUEUE, AUDIT_DLQ, SYNC_QUEUE, SYNC_DLQ)) {
            client().purgeQueue(r -> r.queueUrl(queueUrl(queue)));
        }
    }

    /** Whether the endpoint is up (between {@link #start()} and {@link #stop()}). */
    public boolean isRunning() {
        return binding != null;
    }

    /** Runs after every successful {@link #start()}, e.g. to let a waiting poller retry at once. */
    public void onStart(Runnable listener) {
        startListeners.add(listener);
    }

    /** {@code up}, or why not, for {@code /health}. */
    public String status() {
        if (closed) {
            return "down: closed";
        }
        if (binding == null) {
            return "down: stopped";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1_000);
            return "up";
        } catch (IOException e) {
            return "down: " + e.getMessage();
        }
    }

    /** Stops the endpoint and the queue store; the queues and their messages are gone. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        if (client != null) {
            client.close();
        }
        try {
            FutureConverters.asJava(actorSystem.terminate()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the actor system's threads are daemons; they end with the JVM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- addresses ---------------------------------------------------------------------------

    public SqsOptions options() {
        return options;
    }

    /** The port on 127.0.0.1 (the one actually bound when the options asked for 0). */
    public int port() {
        return port;
    }

    /** The SQS endpoint for SDK clients, e.g. {@code http://127.0.0.1:9324} (the functions' {@code AWS_ENDPOINT_URL_SQS}). */
    public URI endpoint() {
        return URI.create("http://" + HOST + ":" + port);
    }

    /** e.g. {@code http://127.0.0.1:9324/000000000000/pipedesk-audit}. */
    public String queueUrl(String queueName) {
        return endpoint() + "/" + ACCOUNT_ID + "/" + queueName;
    }

    /** e.g. {@code arn:aws:sqs:us-east-1:000000000000:pipedesk-audit}. */
    public static String queueArn(String queueName) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT_ID + ":" + queueName;
    }

    public String auditQueueUrl() {
        return queueUrl(AUDIT_QUEUE);
    }

    public String deadLetterQueueUrl() {
        return queueUrl(AUDIT_DLQ);
    }

    /** e.g. {@code http://127.0.0.1:9324/000000000000/pipedesk-calendar-sync.fifo}. */
    public String syncQueueUrl() {
        return queueUrl(SYNC_QUEUE);
    }

    public String syncDeadLetterQueueUrl() {
        return queueUrl(SYNC_DLQ);
    }

    /**
     * The Lambda environment variables an audit producer (a function, or {@code SqsOutboxSender.fromEnv})
     * needs to send to {@code queueUrl} here: {@code AUDIT_QUEUE_URL}, {@code AWS_REGION},
     * {@code AWS_ENDPOINT_URL_SQS} and the dummy credentials.
     */
    public Map<String, String> producerEnvironment(String queueUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AUDIT_QUEUE_URL", queueUrl);
        env.put("AWS_REGION", REGION);
        env.put("AWS_ENDPOINT_URL_SQS", endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        return env;
    }

    // --- queues ------------------------------------------------------------------------------

    /**
     * Creates a standard queue (e.g. one per test) with the audit queue's visibility timeout and no
     * redrive policy; returns its URL. Kept across {@link #stop()} / {@link #start()} like the others.
     */
    public String createQueue(String name) {
        createQueue(name, Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
                Long.toString(options.visibilityTimeout().toSeconds())));
        return queueUrl(name);
    }

    /**
     * Creates a FIFO queue (the name must end in {@code .fifo}; e.g. one per test) with the
     * configured visibility timeout, no content-based de-duplication and no redrive policy;
     * returns its URL.
     */
    public String createFifoQueue(String name) {
        if (!name.endsWith(".fifo")) {
            throw new IllegalArgumentException("a FIFO queue's name ends in .fifo: " + name);
        }
        createQueue(name, fifoAttributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
                Long.toString(options.visibilityTimeout().toSeconds()))));
        return queueUrl(name);
    }

    /** Receives (and deletes) every message now visible on the queue. */
    public List<Message> receiveAll(String queueUrl) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> received = client().receiveMessage(r -> r.queueUrl(queueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (received.isEmpty()) {
                return all;
            }
            all.addAll(received);
            for (Message message : received) {
                client().deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }

    // --- inspection --------------------------------------------------------------------------

    /**
     * An SDK client for this SQS (endpoint override, region {@value #REGION}, dummy credentials,
     * no SDK retries). Owned by this object: do not close it. Calls fail while the endpoint is stopped.
     */
    public SqsClient client() {
        SqsClient current = client;
        if (current == null) {
            throw new IllegalStateException("The local SQS has not started.");
        }
        return current;
    }

    /** The approximate message counts of a queue by name, e.g. {@link #AUDIT_DLQ}. */
    public QueueDepth depth(String queueName) {
        GetQueueAttributesResponse attributes = client().getQueueAttributes(r -> r.queueUrl(queueUrl(queueName))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
        return new QueueDepth(count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    public QueueDepth auditQueueDepth() {
        return depth(AUDIT_QUEUE);
    }

    public QueueDepth deadLetterQueueDepth() {
        return depth(AUDIT_DLQ);
    }

    public QueueDepth syncQueueDepth() {
        return depth(SYNC_QUEUE);
    }

    public QueueDepth syncDeadLetterQueueDepth() {
        return depth(SYNC_DLQ);
    }

    private static long count(GetQueueAttributesResponse attributes, QueueAttributeName name) {
        String value = attributes.attributes().get(name);
        return value == null ? 0 : Long.parseLong(value);
    }

    // --- setup -------------------------------------------------------------------------------

    /** An SDK client for a local SQS endpoint: region {@value #REGION}, dummy credentials, no SDK retries. */
    public static SqsClient newClient(URI endpoint) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private void ensureQueues() {
        createQueue(AUDIT_DLQ, Map.of());
        createQueue(AUDIT_QUEUE, Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(options.visibilityTimeout().toSeconds()),
                QueueAttributeName.REDRIVE_POLICY, redrivePolicy(AUDIT_DLQ)));
        createQueue(SYNC_DLQ, fifoAttributes(Map.of()));
        createQueue(SYNC_QUEUE, fifoAttributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(options.visibilityTimeout().toSeconds()),
                QueueAttributeName.REDRIVE_POLICY, redrivePolicy(SYNC_DLQ))));
    }

    private String redrivePolicy(String deadLetterQueue) {
        return "{\"deadLetterTargetArn\":\"" + queueArn(deadLetterQueue) + "\",\"maxReceiveCount\":\""
                + options.maxReceiveCount() + "\"}";
    }

    /** {@code FifoQueue=true}, {@code ContentBasedDeduplication=false}, plus {@code attributes}. */
    private static Map<QueueAttributeName, String> fifoAttributes(Map<QueueAttributeName, String> attributes) {
        Map<QueueAttributeName, String> fifo = new LinkedHashMap<>(attributes);
        fifo.put(QueueAttributeName.FIFO_QUEUE, "true");
        fifo.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
        return fifo;
    }

    private void createQueue(String name, Map<QueueAttributeName, String> attributes) {
        try {
            client().createQueue(r -> r.queueName(name).attributes(attributes));
        } catch (QueueNameExistsException e) {
            // kept from before a restart (possibly reconfigured by a test): leave it as it is
        }
    }
}
