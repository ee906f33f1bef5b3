package dev.pipedesk.localaws;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@link Context} of one Lambda invocation outside AWS: the local stack's {@code LambdaHost}
 * hands one to each invocation in a function's child JVM, and the tests' FunctionInvoker harness
 * to each invocation in the test's JVM.
 *
 * <p>Only JDK and {@code aws-lambda-java-core} types may be used here: in the child JVM this class
 * runs with nothing but the function's own {@code lib/} beside it.
 *
 * @param awsRequestId        the invocation's request id
 * @param functionName        e.g. {@code calendar}
 * @param functionVersion     e.g. {@code $LATEST}
 * @param logGroupName        e.g. {@code /aws/lambda/calendar}
 * @param logStreamName       the log stream of this execution environment
 * @param invokedFunctionArn  see {@link #functionArn}
 * @param memoryLimitInMB     the configured memory size
 * @param deadlineEpochMillis when the invocation times out; {@link #getRemainingTimeInMillis()} counts down to it
 * @param logger              where {@code context.getLogger()} writes
 */
public record LambdaContext(String awsRequestId, String functionName, String functionVersion, String logGroupName,
                            String logStreamName, String invokedFunctionArn, int memoryLimitInMB,
                            long deadlineEpochMillis, LambdaLogger logger) implements Context {

    /** The account id of every local ARN (the same as {@link LocalSqs#ACCOUNT_ID}). */
    public static final String LOCAL_ACCOUNT_ID = "000000000000";

    /** e.g. {@code arn:aws:lambda:us-east-1:000000000000:function:calendar}. */
    public static String functionArn(String region, String functionName) {
        return "arn:aws:lambda:" + region + ":" + LOCAL_ACCOUNT_ID + ":function:" + functionName;
    }

    /** A logger that writes each message to {@code out} as one line (a newline is added when missing) and flushes. */
    public static LambdaLogger printingTo(PrintStream out) {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                out.print(message);
                if (!message.endsWith("\n")) {
                    out.println();
                }
                out.flush();
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    @Override
    public String getAwsRequestId() {
        return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
        return logGroupName;
    }

    @Override
    public String getLogStreamName() {
        return logStreamName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return functionVersion;
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedFunctionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineEpochMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryLimitInMB;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
