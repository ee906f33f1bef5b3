package dev.pipedesk.local.gateway;

import dev.pipedesk.local.lambda.FunctionInvocationException;

import java.util.List;

/**
 * What the local gateway's {@code POST /_local/functions/{name}/invoke} does: run a function that a
 * schedule invokes once, now, with the event the schedule sends.
 */
@FunctionalInterface
public interface ScheduledInvoker {

    /** No function can be invoked this way (a gateway without a scheduler, e.g. in tests). */
    ScheduledInvoker NONE = name -> new UnknownFunction(List.of());

    /** What came of a request to run {@code name}. */
    sealed interface Outcome {
    }

    /** The function ran; {@code output} is what it returned (JSON). */
    record Ran(String output) implements Outcome {
    }

    /** No function of that name; {@code known} are the stack's functions. */
    record UnknownFunction(List<String> known) implements Outcome {
    }

    /**
     * The function exists, but no schedule invokes it.
     *
     * @param trigger   what does invoke it, in words (e.g. {@code HTTP routes})
     * @param scheduled the functions a schedule invokes
     */
    record NotScheduled(String trigger, List<String> scheduled) implements Outcome {
    }

    /** A schedule invokes it, but it is not running in this stack (not built). */
    record NotRunning() implements Outcome {
    }

    /**
     * Runs the function now, synchronously.
     *
     * @throws FunctionInvocationException when it fails or times out
     */
    Outcome invokeNow(String name) throws FunctionInvocationException;
}
