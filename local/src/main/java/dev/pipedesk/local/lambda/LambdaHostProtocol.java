package dev.pipedesk.local.lambda;

/**
 * The wire contract between {@link FunctionProcess} (parent) and {@link LambdaHost} (child JVM).
 *
 * <p>The child prints {@code LAMBDA_HOST_READY port=<port> initMs=<ms>} on stdout once its handler
 * is constructed (the cold start), or {@code LAMBDA_HOST_FAILED <reason>} before exiting. It then
 * serves {@code POST /invoke}: the event JSON in, the handler's output bytes out. A handler that
 * throws yields Lambda's error document ({@code errorMessage}, {@code errorType},
 * {@code stackTrace}) with the {@code X-Amz-Function-Error: Unhandled} header, as the Lambda
 * invoke API does. The child exits when its stdin reaches end-of-file, so it never outlives the
 * parent. Only JDK types here: this class is loaded inside the function's JVM.
 */
public final class LambdaHostProtocol {
    public static final String READY_PREFIX = "LAMBDA_HOST_READY ";
    public static final String FAILED_PREFIX = "LAMBDA_HOST_FAILED ";
    public static final String INVOKE_PATH = "/invoke";
    public static final String REQUEST_ID_HEADER = "Lambda-Runtime-Aws-Request-Id";
    public static final String DEADLINE_HEADER = "Lambda-Runtime-Deadline-Ms";
    public static final String FUNCTION_ERROR_HEADER = "X-Amz-Function-Error";
    public static final String DEFAULT_HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker";

    private LambdaHostProtocol() {
    }

    /** {@code LAMBDA_HOST_READY port=1234 initMs=2400} → 1234, or -1 when the line is not a ready line. */
    public static int readyPort(String line) {
        if (!line.startsWith(READY_PREFIX)) {
            return -1;
        }
        for (String part : line.substring(READY_PREFIX.length()).trim().split("\\s+")) {
            if (part.startsWith("port=")) {
                try {
                    return Integer.parseInt(part.substring("port=".length()));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
