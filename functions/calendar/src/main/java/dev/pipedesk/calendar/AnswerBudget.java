package dev.pipedesk.calendar;

import dev.pipedesk.core.Env;
import dev.pipedesk.core.RequestDeadline;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.http.ApiHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How long one calendar API request may wait on the services behind it. API Gateway gives up
 * on a Lambda integration after 30 s; the parts below add up to less than {@link #LIMIT}, which
 * the function checks when it starts (it refuses to start otherwise).
 *
 * <p>Each request gets a deadline, {@code google + meetPoll + databaseStatement} after it starts
 * ({@link #appliedTo}); every wait is cut to it (a Google attempt's connect and read timeouts,
 * backoff pauses, an access-token fetch, the Meet poll, each database round trip as it starts on
 * a connection). The one wait that cannot be cut, for a pooled database connection, never starts
 * after the deadline and lasts at most {@code databaseConnect}: so a request whose dependencies
 * stop answering still answers within {@link #total()}.
 *
 * @param google            {@code GOOGLE_RETRY_MAX_ELAPSED_MS}: the most one Google call may take
 * @param meetPoll          {@code MEET_POLL_MAX_ELAPSED_MS}: the most the wait for a pending Meet conference may take
 * @param databaseConnect   {@code DATABASE_CONNECT_TIMEOUT_MS} (default 3000): the wait for a pooled connection
 * @param databaseStatement {@code DATABASE_STATEMENT_TIMEOUT_MS} (default 3000): the most one database round trip may take
 */
public record AnswerBudget(Duration google, Duration meetPoll, Duration databaseConnect, Duration databaseStatement) {
    /** The environment variables {@link #of} reads (the Google parts come from {@link GoogleCalendarSettings}). */
    public enum Variable { DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS }

    public static final java.util.List<String> VARIABLES = Env.names(Variable.values());

    /** Well inside API Gateway's 30 s: the total must stay below this. */
    public static final Duration LIMIT = Duration.ofSeconds(25);

    public AnswerBudget {
        Stream.of(google, meetPoll, databaseConnect, databaseStatement).forEach(Objects::requireNonNull);
        if (Stream.of(google, meetPoll, databaseConnect, databaseStatement).anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalStateException("Every part of the calendar's answer budget must be positive: " + parts(
                    google, meetPoll, databaseConnect, databaseStatement));
        }
        Duration total = google.plus(meetPoll).plus(databaseConnect).plus(databaseStatement);
        if (total.compareTo(LIMIT) >= 0) {
            throw new IllegalStateException("The calendar function must answer within " + LIMIT.toMillis()
                    + " ms (API Gateway gives up at 30000 ms), but " + parts(google, meetPoll, databaseConnect,
                    databaseStatement) + " add up to " + total.toMillis() + " ms. Lower some of them.");
        }
    }

    /** The budget from the Google settings and {@code DATABASE_CONNECT_TIMEOUT_MS} / {@code DATABASE_STATEMENT_TIMEOUT_MS}. */
    public static AnswerBudget of(GoogleCalendarSettings google, Env env) {
        return new AnswerBudget(google.retryPolicy().maxElapsed(), google.meetPollPolicy().maxElapsed(),
                Duration.ofMillis(env.getInt(Variable.DATABASE_CONNECT_TIMEOUT_MS.name(), 3000)),
                Duration.ofMillis(env.getInt(Variable.DATABASE_STATEMENT_TIMEOUT_MS.name(), 3000)));
    }

    /** The longest any request may take to answer: every part added up. */
    public Duration total() {
        return google.plus(meetPoll).plus(databaseConnect).plus(databaseStatement);
    }

    /** The deadline of a request that starts at {@code start}. */
    public Instant deadlineFor(Instant start) {
        return start.plus(google).plus(meetPoll).plus(databaseStatement);
    }

    /** {@code handler} with each request running under its deadline ({@link RequestDeadline}). */
    public ApiHandler appliedTo(ApiHandler handler, Clock clock) {
        return (request, caller) -> RequestDeadline.callWithin(deadlineFor(clock.instant()),
                () -> handler.handle(request, caller));
    }

    private static String parts(Duration google, Duration meetPoll, Duration databaseConnect,
                                Duration databaseStatement) {
        return "GOOGLE_RETRY_MAX_ELAPSED_MS=" + google.toMillis() + ", MEET_POLL_MAX_ELAPSED_MS=" + meetPoll.toMillis()
                + ", DATABASE_CONNECT_TIMEOUT_MS=" + databaseConnect.toMillis()
                + ", DATABASE_STATEMENT_TIMEOUT_MS=" + databaseStatement.toMillis();
    }
}
