package dev.pipedesk.local.lambda;

/**
 * An invocation that produced no function output. The gateway turns each kind into its own
 * status, as API Gateway does (timeout → 504, everything else → 502).
 */
public sealed class FunctionInvocationException extends Exception {

    private final String functionName;

    private FunctionInvocationException(String functionName, String message, Throwable cause) {
        super(message, cause);
        this.functionName = functionName;
    }

    public String functionName() {
        return functionName;
    }

    /** The invocation ran past the function timeout; the instance was stopped. */
    public static final class Timeout extends FunctionInvocationException {
        public Timeout(String functionName, String message) {
            super(functionName, message, null);
        }
    }

    /** The handler threw: Lambda's error document ({@code errorType}, {@code errorMessage}). */
    public static final class Unhandled extends FunctionInvocationException {
        private final String errorDocument;

        /** The message names the exception type only: its text may carry data that must not reach the gateway's log. */
        public Unhandled(String functionName, String errorDocument) {
            super(functionName, "function " + functionName + " failed with an unhandled " + errorType(errorDocument), null);
            this.errorDocument = errorDocument;
        }

        /** Lambda's {@code {"errorMessage","errorType","stackTrace"}} document, as the function produced it. */
        public String errorDocument() {
            return errorDocument;
        }

        private static String errorType(String document) {
            java.util.regex.Matcher type = java.util.regex.Pattern.compile("\"errorType\"\\s*:\\s*\"([^\"]*)\"")
                    .matcher(document == null ? "" : document);
            return type.find() ? type.group(1) : "error";
        }
    }

    /** The instance could not start, died, or could not be reached. */
    public static final class Unavailable extends FunctionInvocationException {
        public Unavailable(String functionName, String message, Throwable cause) {
            super(functionName, message, cause);
        }
    }
}
