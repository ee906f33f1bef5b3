package dev.pipedesk.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.MDC;

/**
 * The fields every log line of an invocation carries, kept in the SLF4J MDC of the invoking thread
 * from the start of the invocation to its end ({@link LambdaShell} opens and closes the scope):
 * {@value #REQUEST_ID} (the Lambda request id), {@value #FUNCTION} (the function's name),
 * {@value #COLD_START} ({@code true} on the first invocation of this execution environment, or the
 * first after a SnapStart restore: {@link #restored()}) and, on an API route once the authorizer's
 * principal is known, {@value #USER_ID} ({@link #userId}). In AWS the JSON log lines show them
 * ({@code LambdaJsonLogFormatter}); the plain local lines do not.
 */
public final class LambdaInvocation implements AutoCloseable {
    public static final String REQUEST_ID = "requestId";
    public static final String FUNCTION = "function";
    public static final String COLD_START = "coldStart";
    public static final String USER_ID = "userId";

    private static final AtomicBoolean FIRST = new AtomicBoolean(true);

    private final boolean coldStart;
    private final String requestId;
    private final String function;

    private LambdaInvocation(String requestId, String function, boolean coldStart) {
        this.requestId = requestId;
        this.function = function;
        this.coldStart = coldStart;
    }

    /**
     * Starts the invocation's log fields.
     *
     * @param context the invocation's Lambda context, or null when there is none (then only the
     *                cold-start flag is known)
     */
    public static LambdaInvocation open(Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        String function = context == null ? null : context.getFunctionName();
        LambdaInvocation invocation = new LambdaInvocation(requestId, function, FIRST.getAndSet(false));
        put(REQUEST_ID, requestId);
        put(FUNCTION, function);
        MDC.put(COLD_START, Boolean.toString(invocation.coldStart));
        MDC.remove(USER_ID);
        return invocation;
    }

    /**
     * The next invocation is a cold start again: call it after a SnapStart restore (the snapshot
     * may hold an environment that was already invoked while priming).
     */
    public static void restored() {
        FIRST.set(true);
    }

    /** Adds the caller's user id to the log fields of the invocation running on this thread, if one is. */
    public static void userId(String userId) {
        if (MDC.get(COLD_START) != null && userId != null) {
            MDC.put(USER_ID, userId);
        }
    }

    public boolean coldStart() {
        return coldStart;
    }

    public String requestId() {
        return requestId;
    }

    public String function() {
        return function;
    }

    /** Ends the invocation's log fields. */
    @Override
    public void close() {
        MDC.remove(REQUEST_ID);
        MDC.remove(FUNCTION);
        MDC.remove(COLD_START);
        MDC.remove(USER_ID);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
