package dev.pipedesk.emulator.calendar;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Delivers push notifications the way Google does (docs/google-calendar.md, Watch channels and
 * push): an empty POST with the X-Goog-* headers, {@code sync} number 1 first, then
 * {@code exists} with increasing numbers and random gaps, retried with exponential backoff on
 * 500/502/503/504 only. Always asynchronous, never in the request that caused the change. Every
 * attempt is recorded.
 */
final class PushDispatcher implements AutoCloseable {

    private static final Set<Integer> SUCCESS = Set.of(200, 201, 202, 204, 102);
    private static final Set<Integer> RETRYABLE = Set.of(500, 502, 503, 504);
    private static final DateTimeFormatter RFC1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** One notification; {@code generation} ties it to the state before a reset. */
    private record Message(long number, String state, long generation) {
    }

    private final ChannelRegistry channels;
    private final Duration initialBackoff;
    private final int maxAttempts;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("calendar-emulator-push-", 0).factory());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("calendar-emulator-push-timer").factory());
    private final HttpClient http;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final List<DeliveryAttempt> attempts = new ArrayList<>();

    private Duration delay = Duration.ZERO;
    private int dropNext;
    private int duplicateNext;
    private int afterStopAllowance;
    private volatile boolean closed;
    /** Bumped by reset: deliveries and retries of forgotten channels stop. */
    private volatile long generation;

    PushDispatcher(ChannelRegistry channels, Duration initialBackoff, int maxAttempts) {
        this.channels = channels;
        this.initialBackoff = initialBackoff;
        this.maxAttempts = maxAttempts;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** A new channel gets its {@code sync} message, number 1. */
    void channelCreated(Channel channel) {
        send(channel, new Message(channel.syncMessageNumber(), "sync", generation));
    }

    /** One committed change: every channel on the calendar gets an {@code exists} message. */
    void calendarChanged(String calendarId) {
        Instant now = Instant.now();
        for (Channel channel : channels.forCalendar(calendarId)) {
            OptionalLong number = channel.nextMessageNumber(now, random);
            if (number.isPresent()) {
                send(channel, new Message(number.getAsLong(), "exists", generation));
            }
        }
    }

    void channelStopped(Channel channel) {
        int allowance;
        synchronized (this) {
            allowance = afterStopAllowance;
        }
        channel.stop(allowance); // never hold this lock while taking a channel's (enqueue nests the other way)
    }

    // --- faults ---------------------------------------------------------------------------------

    synchronized void delay(Duration value) {
        delay = value == null || value.isNegative() ? Duration.ZERO : value;
    }

    synchronized void dropNext(int count) {
        dropNext = Math.max(0, count);
    }

    synchronized void duplicateNext(int count) {
        duplicateNext = Math.max(0, count);
    }

    synchronized void deliverAfterStop(int count) {
        afterStopAllowance = Math.max(0, count);
    }

    synchronized void reset() {
        generation++;
        delay = Duration.ZERO;
        dropNext = 0;
        duplicateNext = 0;
        afterStopAllowance = 0;
        attempts.clear();
        notifyAll();
    }

    synchronized List<DeliveryAttempt> attempts() {
        return List.copyOf(attempts);
    }

    /**
     * Blocks until the recorded attempts satisfy {@code condition}, woken by each new attempt (and
     * by a reset); answers them. IllegalStateException after {@code timeout}.
     */
    synchronized List<DeliveryAttempt> awaitAttempts(Predicate<List<DeliveryAttempt>> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(List.copyOf(attempts))) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new IllegalStateException("Delivery attempts did not reach the expected state within "
                        + timeout + ": " + attempts);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for deliveries", e);
            }
        }
        return List.copyOf(attempts);
    }

    // --- delivery -------------------------------------------------------------------------------

    private void send(Channel channel, Message message) {
        int copies;
        Duration wait;
        synchronized (this) {
            if (dropNext > 0) {
                dropNext--;
                record(new DeliveryAttempt(channel.watch.id(), message.number(), message.state(), 1, 0,
                        DeliveryAttempt.Outcome.DROPPED, null, Instant.now()));
                return;
            }
            copies = duplicateNext > 0 ? 2 : 1;
            if (duplicateNext > 0) {
                duplicateNext--;
            }
            wait = delay;
        }
        for (int i = 0; i < copies; i++) {
            if (wait.isZero()) {
                channel.enqueue(() -> attempt(channel, message, 1));
            } else {
                schedule(() -> attempt(channel, message, 1), wait);
            }
        }
    }

    private CompletableFuture<Void> attempt(Channel channel, Message message, int attempt) {
        if (closed || message.generation() != generation) {
            return CompletableFuture.completedFuture(null);
        }
        HttpRequest request;
        try {
            request = request(channel, message);
        } catch (IllegalArgumentException e) {
            record(new DeliveryAttempt(channel.watch.id(), message.number(), message.state(), attempt, 0,
                    DeliveryAttempt.Outcome.REJECTED, e.getMessage(), Instant.now()));
            return CompletableFuture.completedFuture(null);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (message.generation() != generation) {
                        return null; // reset meanwhile: this channel no longer exists
                    }
                    int status = response == null ? 0 : response.statusCode();
                    boolean retryable = error != null || RETRYABLE.contains(status);
                    DeliveryAttempt.Outcome outcome;
                    if (error == null && SUCCESS.contains(status)) {
                        outcome = DeliveryAttempt.Outcome.DELIVERED;
                    } else if (retryable && attempt < maxAttempts) {
                        outcome = DeliveryAttempt.Outcome.RETRYING;
                    } else if (retryable) {
                        outcome = DeliveryAttempt.Outcome.GAVE_UP;
                    } else {
                        outcome = DeliveryAttempt.Outcome.REJECTED;
                    }
                    record(new DeliveryAttempt(channel.watch.id(), message.number(), message.state(), attempt, status,
                            outcome, error == null ? null : rootMessage(error), Instant.now()));
                    if (outcome == DeliveryAttempt.Outcome.RETRYING) {
                        schedule(() -> attempt(channel, message, attempt + 1), backoff(attempt));
                    }
                    return null;
                });
    }

    private static HttpRequest request(Channel channel, Message message) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(channel.watch.address()))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json; utf-8")
                .header("User-Agent", "APIs-Google")
                .header("X-Goog-Channel-ID", channel.watch.id())
                .header("X-Goog-Message-Number", Long.toString(message.number()))
                .header("X-Goog-Resource-ID", channel.watch.resourceId())
                .header("X-Goog-Resource-State", message.state())
                .header("X-Goog-Resource-URI", channel.watch.resourceUri())
                .header("X-Goog-Channel-Expiration", RFC1123.format(channel.watch.expiration()))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (channel.watch.token() != null) {
            builder.header("X-Goog-Channel-Token", channel.watch.token());
        }
        return builder.build();
    }

    /** Exponential backoff with a little jitter: initial, 2×, 4×… */
    private Duration backoff(int attempt) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(base + random.nextLong(Math.max(1, base / 4)));
    }

    private void schedule(java.util.function.Supplier<CompletableFuture<Void>> task, Duration wait) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(() -> executor.execute(task::get), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: the notification is lost, as it would be at Google
        }
    }

    private synchronized void record(DeliveryAttempt attempt) {
        attempts.add(attempt);
        notifyAll();
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        http.shutdownNow();
        executor.shutdownNow();
    }
}
