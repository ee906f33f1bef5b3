package dev.pipedesk.infra;

import dev.pipedesk.auth.ApiRoute;

import java.time.Duration;

/**
 * Every deployable function: its folder under {@code functions/} (whose {@code target/lambda} is
 * the zip), memory and timeout. API functions stay well under API Gateway's 30 s (the calendar
 * function's answer budget is 25 s); queue workers get the time their batch may take (their
 * queues' visibility timeouts are 6 × it).
 */
public enum DeployedFunction {
    AUTHORIZER("authorizer", 1024, Duration.ofSeconds(10), true),
    CALENDAR(ApiRoute.CALENDAR_FUNCTION, 1024, Duration.ofSeconds(29), true),
    TIMELINE(ApiRoute.TIMELINE_FUNCTION, 1024, Duration.ofSeconds(29), true),
    WEBHOOK(ApiRoute.WEBHOOK_FUNCTION, 1024, Duration.ofSeconds(15), true),
    AUDIT_WRITER("audit-writer", 1024, Duration.ofSeconds(60), true),
    CALENDAR_SYNC("calendar-sync", 1024, Duration.ofSeconds(300), true),
    /** Runs every minute; its relay budget is 20 s, plus a few Google calls per synced calendar. */
    CHANNEL_RENEWAL("channel-renewal", 1024, Duration.ofSeconds(120), true),
    /**
     * Runs once per deployment (a CDK Trigger): no SnapStart, whose snapshot would be restored
     * once and costs minutes of every deployment that changes it.
     */
    DB_MIGRATE("db-migrate", 1024, Duration.ofMinutes(10), false);

    /** Every function's Lambda handler: Spring Cloud Function's AWS adapter. */
    public static final String HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";
    /** The alias the API, the event source mappings and the schedule invoke. */
    public static final String ALIAS = "live";

    private final String folder;
    private final int memoryMb;
    private final Duration timeout;
    private final boolean snapStart;

    DeployedFunction(String folder, int memoryMb, Duration timeout, boolean snapStart) {
        this.folder = folder;
        this.memoryMb = memoryMb;
        this.timeout = timeout;
        this.snapStart = snapStart;
    }

    /** The function's name: its folder under {@code functions/}, as {@code ApiRoute.ServedBy} names it. */
    public String folder() {
        return folder;
    }

    public int memoryMb() {
        return memoryMb;
    }

    public Duration timeout() {
        return timeout;
    }

    public boolean snapStart() {
        return snapStart;
    }

    /** The function folder's deployable artifact, relative to the repository root. */
    public String assetPath() {
        return "functions/" + folder + "/target/lambda";
    }

    /** The function of a route's {@code servedBy().functionName()}. */
    public static DeployedFunction named(String folder) {
        for (DeployedFunction function : values()) {
            if (function.folder.equals(folder)) {
                return function;
            }
        }
        throw new IllegalArgumentException("no deployable function " + folder);
    }
}
