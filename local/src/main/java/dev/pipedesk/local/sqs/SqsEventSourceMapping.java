package dev.pipedesk.local.sqs;

import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.LambdaFunction;
import dev.pipedesk.local.lambda.LogSink;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Lambda's SQS event source mapping does, for one queue and one function: long-poll the
 * queue (up to 10 messages per receive, every system attribute so {@code ApproximateReceiveCount}
 * is set), invoke the function with the SQS event, then delete every message that is not in the
 * function's {@code batchItemFailures}. A standard queue's batch may be larger than one receive
 * ({@link Settings#batchSize()} up to 10,000 with a {@link Settings#batchingWindow() batching
 * window}, as Lambda's {@code MaximumBatchingWindowInSeconds}): once the first messages arrive,
 * the mapping keeps receiving until the batch is full or the window has passed, then invokes the
 * function once with all of them. Failed messages are left
 * alone: they reappear after the queue's visibility timeout and, after the redrive policy's
 * receive limit, move to the dead-letter queue (ElasticMQ does that move, as SQS does). A function
 * error or timeout, or a response that is not a valid partial batch response, fails the whole batch.
 *
 * <p>A standard queue is handled one batch at a time (like a mapping with maximum concurrency 1),
 * on one daemon thread. A FIFO queue ({@link Settings#fifo()}) is handled as Lambda handles one:
 * <ul>
 * <li>up to {@link Fifo#maxConcurrency()} batches at once, but never two in-flight batches holding
 * messages of the same {@code MessageGroupId}. ElasticMQ, like SQS, hands out no message of a group
 * while another of it is in flight; the mapping keeps a batch's messages in flight (hidden) for as
 * long as the batch runs, whatever the queue's visibility timeout (it renews their visibility,
 * as a visibility timeout of several function timeouts does in AWS), and, should a receive still
 * return a message of a group it is running, it puts that message back rather than run it;</li>
 * <li>a failed message and the later messages of its group in the batch go back to the queue (they
 * are not deleted even when the function handled them), so the group is delivered again from the
 * failed message on, in order; they reappear after the queue's visibility timeout
 * ({@link Fifo#visibilityTimeout()}). Earlier messages of the group, and other groups, are deleted
 * as usual.</li>
 * </ul>
 * The SQS event then carries the FIFO attributes ({@code MessageGroupId},
 * {@code MessageDeduplicationId}, {@code SequenceNumber}) in each record's {@code attributes}.
 *
 * <p>When SQS cannot be reached it logs that once, retries with exponential backoff up to
 * {@link Settings#maxBackoff()} (or at once after {@link #wake()}), and logs the recovery.
 */
public final class SqsEventSourceMapping implements AutoCloseable {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    /** While gathering a batch with less than a second of its window left: the pause between short receives. */
    private static final long GATHER_PAUSE_MILLIS = 20;
    private static final String GROUP_ID = MessageSystemAttributeName.MESSAGE_GROUP_ID.toString();

    /**
     * @param queueUrl    the queue to poll
     * @param queueArn    the {@code eventSourceARN} of the records
     * @param region      the {@code awsRegion} of the records
     * @param batchSize      at most this many messages per invocation: 1..10, or (standard queue, with a batching
     *                       window) up to {@value #MAX_BATCH_SIZE}, gathered from several receives
     * @param batchingWindow how long to keep gathering a batch after its first messages arrived (0..5 min, whole
     *                       milliseconds); zero: one receive is the batch. As in Lambda, a batch size above 10 needs
     *                       a window. The queue's visibility timeout should exceed the window plus the invocation
     * @param receiveWait    the long-poll wait of each receive (0..20 s)
     * @param maxBackoff     the longest pause between attempts while SQS is unreachable
     * @param fifo           how a FIFO queue's groups are kept in order; null for a standard queue
     */
    public record Settings(String queueUrl, String queueArn, String region, int batchSize, Duration batchingWindow,
                           Duration receiveWait, Duration maxBackoff, Fifo fifo) {
        public static final int DEFAULT_BATCH_SIZE = 10;
        /** What one ReceiveMessage returns at most, and a FIFO mapping's largest batch. */
        public static final int MAX_RECEIVE = 10;
        /** Lambda's largest batch size for a standard queue. */
        public static final int MAX_BATCH_SIZE = 10_000;
        /** Lambda's largest batching window ({@code MaximumBatchingWindowInSeconds} 300). */
        public static final Duration MAX_BATCHING_WINDOW = Duration.ofMinutes(5);
        public static final Duration DEFAULT_RECEIVE_WAIT = Duration.ofSeconds(20);
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(2);

        public Settings {
            Objects.requireNonNull(queueUrl, "queueUrl");
            Objects.requireNonNull(queueArn, "queueArn");
            Objects.requireNonNull(region, "region");
            int maxBatch = fifo == null ? MAX_BATCH_SIZE : MAX_RECEIVE;
            if (batchSize < 1 || batchSize > maxBatch) {
                throw new IllegalArgumentException("batchSize must be 1.." + maxBatch + (fifo == null ? "" : " for a FIFO queue"));
            }
            Objects.requireNonNull(batchingWindow, "batchingWindow");
            if (batchingWindow.isNegative() || batchingWindow.compareTo(MAX_BATCHING_WINDOW) > 0
                    || batchingWindow.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException("batchingWindow must be whole milliseconds, 0..300 s");
            }
            if (batchSize > MAX_RECEIVE && batchingWindow.isZero()) {
                throw new IllegalArgumentException("a batch size above " + MAX_RECEIVE
                        + " needs a batching window (as in Lambda), got batch size " + batchSize + " and no window");
            }
            if (fifo != null && !batchingWindow.isZero()) {
                throw new IllegalArgumentException("a FIFO queue's mapping takes no batching window");
            }
            if (receiveWait.isNegative() || receiveWait.compareTo(Duration.ofSeconds(20)) > 0) {
                throw new IllegalArgumentException("receiveWait must be 0..20 s");
            }
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            if (fifo != null && !queueUrl.endsWith(".fifo")) {
                throw new IllegalArgumentException("FIFO ordering needs a FIFO queue (name ending in .fifo): " + queueUrl);
            }
        }

        /** Batch size 10, 20 s long polls, backoff up to 2 s: the mapping of an audit queue. */
        public static Settings of(String queueUrl, String queueArn, String region) {
            return new Settings(queueUrl, queueArn, region, DEFAULT_BATCH_SIZE, Duration.ZERO, DEFAULT_RECEIVE_WAIT,
                    DEFAULT_MAX_BACKOFF, null);
        }

        /** As {@link #of}, for a FIFO queue: per-group order, up to {@code fifo.maxConcurrency()} batches at once. */
        public static Settings fifo(String queueUrl, String queueArn, String region, Fifo fifo) {
            return new Settings(queueUrl, queueArn, region, DEFAULT_BATCH_SIZE, Duration.ZERO, DEFAULT_RECEIVE_WAIT,
                    DEFAULT_MAX_BACKOFF, Objects.requireNonNull(fifo, "fifo"));
        }

        public Settings withReceiveWait(Duration value) {
            return new Settings(queueUrl, queueArn, region, batchSize, batchingWindow, value, maxBackoff, fifo);
        }

        public Settings withBatchSize(int value) {
            return new Settings(queueUrl, queueArn, region, value, batchingWindow, receiveWait, maxBackoff, fifo);
        }

        /** Batch size and batching window together (a batch size above 10 needs a window). */
        public Settings withBatching(int size, Duration window) {
            return new Settings(queueUrl, queueArn, region, size, window, receiveWait, maxBackoff, fifo);
        }

        /** What the banner and the log say about batching, e.g. {@code batch size 250, batching window 500 ms}. */
        public String describeBatching() {
            return "batch size " + batchSize + (batchingWindow.isZero() ? "" : ", batching window " + batchingWindow.toMillis() + " ms");
        }

        /** Batches that may run at once: 1 for a standard queue. */
        public int maxConcurrency() {
            return fifo == null ? 1 : fifo.maxConcurrency();
        }
    }

    /**
     * The FIFO behaviour of a mapping.
     *
     * @param maxConcurrency    batches that may run at once, each holding groups no other running batch holds (1..10)
     * @param visibilityTimeout the queue's visibility timeout: how long a failed message (and the rest of its group
     *                          in the batch) stays hidden before it is delivered again
     * @param holdWhileRunning  how long a running batch's messages are kept hidden at a time; renewed every third
     *                          of it until the batch ends (whole seconds, at least 3 s)
     */
    public record Fifo(int maxConcurrency, Duration visibilityTimeout, Duration holdWhileRunning) {
        /** Kept hidden 60 s at a time, renewed every 20 s. */
        public static final Duration DEFAULT_HOLD = Duration.ofSeconds(60);

        public Fifo {
            if (maxConcurrency < 1 || maxConcurrency > 10) {
                throw new IllegalArgumentException("maxConcurrency must be 1..10");
            }
            Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
            if (visibilityTimeout.isNegative() || visibilityTimeout.compareTo(Duration.ofHours(12)) > 0
                    || visibilityTimeout.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("visibilityTimeout must be whole seconds, 0 s..12 h");
            }
            Objects.requireNonNull(holdWhileRunning, "holdWhileRunning");
            if (holdWhileRunning.compareTo(Duration.ofSeconds(3)) < 0 || holdWhileRunning.compareTo(Duration.ofHours(12)) > 0
                    || holdWhileRunning.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("holdWhileRunning must be whole seconds, 3 s..12 h");
            }
        }

        public static Fifo of(int maxConcurrency, Duration visibilityTimeout) {
            return new Fifo(maxConcurrency, visibilityTimeout, DEFAULT_HOLD);
        }
    }

    /**
     * Counters since the start.
     *
     * @param batches  invocations of the function
     * @param deleted  messages deleted after the function handled them
     * @param failed   messages left on the queue because the function (or its response) failed them, or (FIFO)
     *                 because an earlier message of their group in the batch failed
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
    /** Free batch slots: a receive happens only with one in hand. */
    private final Semaphore slots;
    /** FIFO: the message groups of the running batches. */
    private final Set<String> runningGroups = ConcurrentHashMap.newKeySet();
    /** FIFO: runs the batches (virtual threads) and renews their visibility; null for a standard queue. */
    private final ExecutorService workers;
    private final ScheduledExecutorService renewals;
    private volatile boolean running = true;
    private boolean woken;
    private boolean unreachable;

    private SqsEventSourceMapping(SqsClient sqs, Settings settings, LambdaFunction function, LogSink log) {
        this.sqs = sqs;
        this.settings = settings;
        this.function = function;
        this.log = log;
        this.slots = new Semaphore(settings.maxConcurrency());
        this.thread = new Thread(this::run, "sqs-poller-" + function.name());
        thread.setDaemon(true);
        if (settings.fifo() != null) {
            workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sqs-batch-" + function.name() + "-", 1).factory());
            renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread renewal = new Thread(runnable, "sqs-visibility-" + function.name());
                renewal.setDaemon(true);
                return renewal;
            });
        } else {
            workers = null;
            renewals = null;
        }
    }

    /** Starts polling {@code settings.queueUrl()} for {@code function}; progress and problems go to {@code log}. */
    public static SqsEventSourceMapping start(SqsClient sqs, Settings settings, LambdaFunction function, LogSink log) {
        SqsEventSourceMapping mapping = new SqsEventSourceMapping(Objects.requireNonNull(sqs), Objects.requireNonNull(settings),
                Objects.requireNonNull(function), Objects.requireNonNull(log));
        mapping.thread.start();
        log.line("polling " + settings.queueUrl() + " for " + function.name() + " (" + settings.describeBatching()
                + (settings.fifo() == null ? "" : ", FIFO: per-group order, up to " + settings.maxConcurrency()
                        + " batch(es) of different groups at once") + ")");
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
     * Stops polling, waits for the poller thread (and the running batches) and closes the log. A long poll in
     * flight ends when SQS answers (at most {@link Settings#receiveWait()}) or when the SQS endpoint goes away,
     * whichever is first.
     */
    @Override
    public void close() {
        requestStop();
        try {
            thread.join(settings.receiveWait().plusSeconds(5).toMillis());
            if (workers != null) {
                workers.shutdown();
                workers.awaitTermination(35, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (renewals != null) {
            renewals.shutdownNow();
        }
        log.close();
    }

    // --- the loop ----------------------------------------------------------------------------

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            if (!takeSlot()) {
                break;
            }
            List<Message> messages;
            try {
                messages = receive(Math.min(settings.batchSize(), Settings.MAX_RECEIVE), (int) settings.receiveWait().toSeconds());
            } catch (SdkException e) {
                slots.release();
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
                slots.release();
                log.line("unexpected poller failure: " + e + "; retrying");
                pause(settings.maxBackoff());
                continue;
            }
            if (unreachable) {
                unreachable = false;
                log.line("SQS is reachable again; polling " + settings.queueUrl());
            }
            backoff = FIRST_BACKOFF;
            if (messages.isEmpty() || !running) {
                slots.release();
            } else if (settings.fifo() == null) {
                try {
                    handle(gather(messages));
                } finally {
                    slots.release();
                }
            } else {
                dispatchFifo(messages);
            }
        }
    }

    private List<Message> receive(int max, int waitSeconds) {
        return sqs.receiveMessage(r -> r.queueUrl(settings.queueUrl())
                .maxNumberOfMessages(max)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
    }

    /**
     * Standard queue, batch size above one receive: from the first messages on, keeps receiving until the batch is
     * full or the batching window has passed (long polls of the window's whole seconds left, then short receives
     * {@value #GATHER_PAUSE_MILLIS} ms apart). Should SQS fail meanwhile, the batch is what has arrived so far.
     */
    private List<Message> gather(List<Message> first) {
        if (settings.batchSize() <= first.size() || settings.batchingWindow().isZero()) {
            return first;
        }
        List<Message> batch = new ArrayList<>(first);
        long deadline = System.nanoTime() + settings.batchingWindow().toNanos();
        while (running && batch.size() < settings.batchSize()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            int waitSeconds = (int) Math.min(TimeUnit.NANOSECONDS.toSeconds(left), settings.receiveWait().toSeconds());
            List<Message> more;
            try {
                more = receive(Math.min(settings.batchSize() - batch.size(), Settings.MAX_RECEIVE), waitSeconds);
            } catch (SdkException e) {
                log.line("SQS failed while gathering a batch (" + e.getMessage() + "); invoking with the "
                        + batch.size() + " message(s) received");
                break;
            }
            batch.addAll(more);
            if (more.isEmpty() && waitSeconds == 0) {
                pause(Duration.ofMillis(Math.min(GATHER_PAUSE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1)));
            }
        }
        return batch;
    }

    /** Waits for a free batch slot; false when the mapping stops meanwhile. */
    private boolean takeSlot() {
        try {
            while (running) {
                if (slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return false;
    }

    /** Standard queue: invoke, then delete what did not fail. */
    private void handle(List<Message> messages) {
        Set<String> failedIds = invoke(messages);
        failed.addAndGet(failedIds.size());
        List<Message> done = messages.stream().filter(m -> !failedIds.contains(m.messageId())).toList();
        if (!done.isEmpty()) {
            delete(done);
        }
    }

    /** The ids of the messages that failed: those the function named, or all of them when the invocation failed. */
    private Set<String> invoke(List<Message> messages) {
        Set<String> ids = new LinkedHashSet<>();
        messages.forEach(m -> ids.add(m.messageId()));
        batches.incrementAndGet();
        try {
            String output = function.invoke(SqsEvents.event(messages, settings.queueArn(), settings.region()));
            return SqsEvents.failedMessageIds(output, ids).orElseGet(() -> {
                log.line("the response of " + function.name() + " is not a valid partial batch response; the whole batch of "
                        + ids.size() + " failed");
                return ids;
            });
        } catch (FunctionInvocationException e) {
            log.line("a batch of " + ids.size() + " failed: " + e.getMessage()
                    + "; the messages reappear after the visibility timeout");
            return ids;
        }
    }

    // --- FIFO --------------------------------------------------------------------------------

    /**
     * On the poller thread, holding a slot: keeps the messages hidden, puts back those of a group a running batch
     * holds, and runs the rest as a batch on a worker (which gives the slot back).
     */
    private void dispatchFifo(List<Message> received) {
        Fifo fifo = settings.fifo();
        changeVisibility(received, fifo.holdWhileRunning(), "keep hidden");
        List<Message> batch = new ArrayList<>();
        List<Message> busy = new ArrayList<>();
        for (Message message : received) {
            (runningGroups.contains(groupOf(message)) ? busy : batch).add(message);
        }
        if (!busy.isEmpty()) {
            log.line("put back " + busy.size() + " message(s) of group(s) " + groups(busy)
                    + ": a running batch holds that group; they reappear after the visibility timeout");
            changeVisibility(busy, fifo.visibilityTimeout(), "put back");
        }
        if (batch.isEmpty()) {
            slots.release();
            return;
        }
        Set<String> groups = groups(batch);
        runningGroups.addAll(groups);
        Renewal renewal = new Renewal(batch);
        long every = fifo.holdWhileRunning().toMillis() / 3;
        renewal.future = renewals.scheduleAtFixedRate(renewal::renew, every, every, TimeUnit.MILLISECONDS);
        try {
            workers.execute(() -> {
                try {
                    handleFifo(batch, renewal);
                } finally {
                    runningGroups.removeAll(groups);
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            // the mapping is closing: the messages reappear after the hold
            renewal.stop();
            runningGroups.removeAll(groups);
            slots.release();
        }
    }

    /** Renews a running batch's visibility until {@link #stop()}. */
    private final class Renewal {
        private final List<Message> messages;
        private volatile ScheduledFuture<?> future;
        private boolean stopped;

        Renewal(List<Message> messages) {
            this.messages = messages;
        }

        synchronized void renew() {
            if (!stopped) {
                changeVisibility(messages, settings.fifo().holdWhileRunning(), "keep hidden");
            }
        }

        synchronized void stop() {
            stopped = true;
            if (future != null) {
                future.cancel(false);
            }
        }
    }

    /**
     * Invoke; a failed message fails the later messages of its group in the batch as well. Delete the rest; what
     * failed becomes visible again after the queue's visibility timeout.
     */
    private void handleFifo(List<Message> batch, Renewal renewal) {
        Set<String> failedIds;
        try {
            failedIds = invoke(batch);
        } finally {
            renewal.stop();
        }
        Set<String> failedGroups = new HashSet<>();
        List<Message> done = new ArrayList<>();
        List<Message> back = new ArrayList<>();
        for (Message message : batch) {
            String group = groupOf(message);
            if (failedIds.contains(message.messageId()) || failedGroups.contains(group)) {
                failedGroups.add(group);
                back.add(message);
            } else {
                done.add(message);
            }
        }
        failed.addAndGet(back.size());
        if (!done.isEmpty()) {
            delete(done);
        }
        if (!back.isEmpty()) {
            changeVisibility(back, settings.fifo().visibilityTimeout(), "return");
        }
    }

    private static String groupOf(Message message) {
        String group = message.attributesAsStrings().get(GROUP_ID);
        return group == null ? "" : group;
    }

    private static Set<String> groups(List<Message> messages) {
        Set<String> groups = new LinkedHashSet<>();
        messages.forEach(m -> groups.add(groupOf(m)));
        return groups;
    }

    private void changeVisibility(List<Message> messages, Duration visibility, String what) {
        for (List<Message> chunk : perRequest(messages)) {
            changeVisibilityOf(chunk, visibility, what);
        }
    }

    /** The messages in groups of at most 10, what one SQS batch request takes. */
    private static List<List<Message>> perRequest(List<Message> messages) {
        List<List<Message>> chunks = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += Settings.MAX_RECEIVE) {
            chunks.add(messages.subList(from, Math.min(from + Settings.MAX_RECEIVE, messages.size())));
        }
        return chunks;
    }

    private void changeVisibilityOf(List<Message> messages, Duration visibility, String what) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle()).visibilityTimeout((int) visibility.toSeconds()).build());
        }
        try {
            ChangeMessageVisibilityBatchResponse response = sqs.changeMessageVisibilityBatch(r -> r
                    .queueUrl(settings.queueUrl()).entries(entries));
            for (BatchResultErrorEntry error : response.failed()) {
                log.line("could not " + what + " a message (" + error.code() + ": " + error.message() + ")");
            }
        } catch (SdkException e) {
            log.line("could not " + what + " " + messages.size() + " message(s) (" + e.getMessage() + ")");
        }
    }

    // --- SQS calls ---------------------------------------------------------------------------

    private void delete(List<Message> messages) {
        for (List<Message> chunk : perRequest(messages)) {
            deleteBatch(chunk);
        }
    }

    private void deleteBatch(List<Message> messages) {
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
