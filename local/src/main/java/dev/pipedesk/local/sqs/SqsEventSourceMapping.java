package dev.pipedesk.local.sqs;

import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.LambdaFunction;
import dev.pipedesk.local.lambda.LogSink;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Lambda's SQS event source mapping does, for one queue and one function: long-poll the
 * queue (up to {@link Settings#batchSize()} messages, every system attribute so
 * {@code ApproximateReceiveCount} is set), invoke the function with the SQS event, then delete
 * every message that is not in the function's {@code batchItemFailures}. Failed messages are left
 * alone: they reappear after the queue's visibility timeout and, after the redrive policy's
 * receive limit, move to the dead-letter queue (ElasticMQ does that move, as SQS does). A function
 * error or timeout, or a response that is not a valid partial batch response, fails the whole batch.
 *
 * <p>One batch at a time (like a mapping with maximum concurrency 1), on one daemon thread. When
 * SQS cannot be reached it logs that once, retries with exponential backoff up to
 * {@link Settings#maxBackoff()} (or at once after {@link #wake()}), and logs the recovery.
 */
public final class SqsEventSourceMapping implements AutoCloseable {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    /**
     * @param queueUrl    the queue to poll
     * @param queueArn    the {@code eventSourceARN} of the records
     * @param region      the {@code awsRegion} of the records
     * @param batchSize   at most this many messages per invocation (1..10)
     * @param receiveWait the long-poll wait of each receive (0..20 s)
     * @param maxBackoff  the longest pause between attempts while SQS is unreachable
     */
    public record Settings(String queueUrl, String queueArn, String region, int batchSize, Duration receiveWait,
                           Duration maxBackoff) {
        public static final int DEFAULT_BATCH_SIZE = 10;
        public static final Duration DEFAULT_RECEIVE_WAIT = Duration.ofSeconds(20);
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);

        public Settings {
            Objects.requireNonNull(queueUrl, "queueUrl");
            Objects.requireNonNull(queueArn, "queueArn");
            Objects.requireNonNull(region, "region");
            if (batchSize < 1 || batchSize > 10) {
                throw new IllegalArgumentException("batchSize must be 1..10");
            }
            if (receiveWait.isNegative() || receiveWait.compareTo(Duration.ofSeconds(20)) > 0) {
                throw new IllegalArgumentException("receiveWait must be 0..20 s");
            }
            Objects.requireNonNull(maxBackoff, "maxBackoff");
        }

        /** Batch size 10, 20 s long polls, backoff up to 2 s: the mapping of an audit queue. */
        public static Settings of(String queueUrl, String queueArn, String region) {
            return new Settings(queueUrl, queueArn, region, DEFAULT_BATCH_SIZE, DEFAULT_RECEIVE_WAIT, DEFAULT_MAX_BACKOFF);
        }

        public Settings withReceiveWait(Duration value) {
            return new Settings(queueUrl, queueArn, region, batchSize, value, maxBackoff);
        }
    }

    /**
     * Counters since the start.
     *
     * @param batches  invocations of the function
     * @param deleted  messages deleted after the function handled them
     * @param failed   messages left on the queue because the function (or its response) failed them
     */
    public record Stats(long batches, long deleted, long failed) {
    }

    private final SqsClient sqs;
    private final Settings settings;
    private final LambdaFunction function;
    private final LogSink log;
    private final Thread thread;
    private final Object pause = new Object();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private boolean woken;
    private boolean unreachable;

    private SqsEventSourceMapping(SqsClient sqs, Settings settings, LambdaFunction function, LogSink log) {
        this.sqs = sqs;
        this.settings = settings;
        this.function = function;
        this.log = log;
        this.thread = new Thread(this::run, "sqs-poller-" + function.name());
        thread.setDaemon(true);
    }

    /** Starts polling {@code settings.queueUrl()} for {@code function}; progress and problems go to {@code log}. */
    public static SqsEventSourceMapping start(SqsClient sqs, Settings settings, LambdaFunction function, LogSink log) {
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(Objects.requireNonNull(sqs), Objects.requireNonNull(settings),
                Objects.requireNonNull(function), Objects.requireNonNull(log));
        mapping.thread.start();
        log.line("polling " + settings.queueUrl() + " for " + function.name() + " (batch size " + settings.batchSize() + ")");
        return mapping;
    }

    public Settings settings() {
        return settings;
    }

    public String functionName() {
        return function.name();
    }

    public Stats stats() {
        return new Stats(batches.get(), deleted.get(), failed.get());
    }

    /** Ends a backoff pause at once, e.g. when SQS is back. */
    public void wake() {
        synchronized (pause) {
            woken = true;
            pause.notifyAll();
        }
    }

    /** Asks the poller to stop after the current receive or invocation; {@link #close()} also waits for it. */
    public void requestStop() {
        running = false;
        wake();
    }

    /**
     * Stops polling, waits for the poller thread and closes the log. A long poll in flight ends when SQS answers
     * (at most {@link Settings#receiveWait()}) or when the SQS endpoint goes away, whichever is first.
     */
    @Override
    public void close() {
        requestStop();
        try {
            thread.join(settings.receiveWait().plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }

    // --- the loop ----------------------------------------------------------------------------

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(r -> r.queueUrl(settings.queueUrl())
                        .maxNumberOfMessages(settings.batchSize())
                        .waitTimeSeconds((int) settings.receiveWait().toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
            } catch (SdkException e) {
                if (!running) {
                    break;
                }
                if (!unreachable) {
                    unreachable = true;
                    log.line("SQS is unreachable (" + e.getMessage() + "); retrying with backoff (up to "
                            + settings.maxBackoff().toMillis() + " ms) until it is back");
                }
                pause(backoff);
                backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
                continue;
            } catch (RuntimeException e) {
                log.line("unexpected poller failure: " + e + "; retrying");
                pause(settings.maxBackoff());
                continue;
            }
            if (unreachable) {
                unreachable = false;
                log.line("SQS is reachable again; polling " + settings.queueUrl());
            }
            backoff = FIRST_BACKOFF;
            if (!messages.isEmpty() && running) {
                handle(messages);
            }
        }
    }

    private void handle(List<Message> messages) {
        Set<String> ids = new LinkedHashSet<>();
        messages.forEach(m -> ids.add(m.messageId()));
        batches.incrementAndGet();
        Set<String> failedIds;
        try {
            String output = function.invoke(SqsEvents.event(messages, settings.queueArn(), settings.region()));
            failedIds = SqsEvents.failedMessageIds(output, ids).orElseGet(() -> {
                log.line("the response of " + function.name() + " is not a valid partial batch response; the whole batch of "
                        + ids.size() + " failed");
                return ids;
            });
        } catch (FunctionInvocationException e) {
            log.line("a batch of " + ids.size() + " failed: " + e.getMessage()
                    + "; the messages reappear after the visibility timeout");
            failedIds = ids;
        }
        failed.addAndGet(failedIds.size());
        Set<String> retried = failedIds;
        List<Message> done = messages.stream().filter(m -> !retried.contains(m.messageId())).toList();
        if (!done.isEmpty()) {
            delete(done);
        }
    }

    private void delete(List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        try {
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(r -> r.queueUrl(settings.queueUrl()).entries(entries));
            deleted.addAndGet(response.successful().size());
            for (BatchResultErrorEntry error : response.failed()) {
                log.line("could not delete a handled message (" + error.code() + ": " + error.message()
                        + "); it will be delivered again");
            }
        } catch (SdkException e) {
            log.line("could not delete " + messages.size() + " handled message(s) (" + e.getMessage()
                    + "); they will be delivered again");
        }
    }

    private void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (pause) {
            while (!woken && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    pause.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            woken = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
