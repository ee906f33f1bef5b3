package dev.pipedesk.local;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.local.gateway.LocalApiGateway;
import dev.pipedesk.local.gateway.Route;
import dev.pipedesk.localaws.LocalSqs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PipeDesk's functions and what triggers them as the local stack runs them: HTTP routes (from
 * {@link ApiRoute}, as CDK deploys them), SQS event source mappings and schedule rules.
 */
public final class LocalFunctions {

    /** A function: its name (folder under {@code functions/}) and Spring application class. */
    public record Definition(String name, String mainClass) {

        /** {@code <repo>/functions/<name>/target/lambda/lib}: the Lambda zip layout the build writes. */
        public Path lambdaLib(Path repoRoot) {
            return repoRoot.resolve("functions").resolve(name).resolve("target").resolve("lambda").resolve("lib");
        }

        /** Built = the Lambda layout exists and one of its jars holds {@link #mainClass()} (a module skeleton does not). */
        public boolean isBuilt(Path repoRoot) {
            Path lib = lambdaLib(repoRoot);
            if (!Files.isDirectory(lib)) {
                return false;
            }
            String entry = mainClass.replace('.', '/') + ".class";
            try (var files = Files.list(lib)) {
                // Our own jars first: that is where the application class lives.
                return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                        .sorted(java.util.Comparator.comparing((Path p) -> !p.getFileName().toString().startsWith("pipedesk-")))
                        .anyMatch(jar -> contains(jar, entry));
            } catch (java.io.IOException e) {
                return false;
            }
        }

        private static boolean contains(Path jar, String entry) {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
                return zip.getEntry(entry) != null;
            } catch (java.io.IOException e) {
                return false;
            }
        }
    }

    public static final Definition AUTHORIZER =
            new Definition(LocalApiGateway.AUTHORIZER, "dev.pipedesk.authorizer.AuthorizerApplication");
    public static final Definition CALENDAR =
            new Definition(ApiRoute.CALENDAR_FUNCTION, "dev.pipedesk.calendar.CalendarApplication");
    public static final Definition TIMELINE =
            new Definition(ApiRoute.TIMELINE_FUNCTION, "dev.pipedesk.timeline.TimelineApplication");
    /** Google Calendar push notifications ({@code POST /webhooks/google-calendar}, no authorizer): verifies, enqueues a sync. */
    public static final Definition WEBHOOK =
            new Definition(ApiRoute.WEBHOOK_FUNCTION, "dev.pipedesk.webhook.WebhookApplication");

    /** SQS-triggered by the audit queue (through the local event source mapping); no HTTP route. */
    public static final Definition AUDIT_WRITER =
            new Definition("audit-writer", "dev.pipedesk.auditwriter.AuditWriterApplication");
    /** SQS-triggered by the FIFO sync queue (the local event source mapping keeps per-calendar order); no HTTP route. */
    public static final Definition CALENDAR_SYNC =
            new Definition("calendar-sync", "dev.pipedesk.calendarsync.CalendarSyncApplication");
    /** Invoked by the schedule (EventBridge in AWS, the local scheduler here); no HTTP route. */
    public static final Definition CHANNEL_RENEWAL =
            new Definition("channel-renewal", "dev.pipedesk.renewal.ChannelRenewalApplication");

    public static final List<Definition> ALL = List.of(AUTHORIZER, CALENDAR, TIMELINE, AUDIT_WRITER, CHANNEL_RENEWAL,
            WEBHOOK, CALENDAR_SYNC);

    /** The schedule rule that invokes channel-renewal (as named in the {@code resources} of its events). */
    public static final String CHANNEL_RENEWAL_RULE = "pipedesk-channel-renewal";

    /** An EventBridge schedule rule: its name (in the events' {@code resources}) and the function it invokes. */
    public record ScheduleRule(String ruleName, Definition function) {
    }

    /** What the schedule invokes (every {@code LOCAL_SCHEDULE_SECONDS} locally). */
    public static final List<ScheduleRule> SCHEDULE = List.of(new ScheduleRule(CHANNEL_RENEWAL_RULE, CHANNEL_RENEWAL));

    /**
     * An SQS event source mapping: the queue (of {@link LocalSqs}) and the function it feeds.
     *
     * @param fifo whether the queue is FIFO (the mapping then keeps each message group in order)
     */
    public record QueueTrigger(String queueName, Definition function, boolean fifo) {
    }

    /** What the event source mappings feed. */
    public static final List<QueueTrigger> QUEUE_TRIGGERS = List.of(
            new QueueTrigger(LocalSqs.AUDIT_QUEUE, AUDIT_WRITER, false),
            new QueueTrigger(LocalSqs.SYNC_QUEUE, CALENDAR_SYNC, true));

    /**
     * The HTTP API's routes: every {@link ApiRoute} a function serves, behind the Lambda
     * authorizer, except the channel-authenticated ones (Google's webhook), which reach their
     * function without it (the local-only ones are the gateway's own).
     */
    public static final List<Route> ROUTES = functionRoutes();

    private static List<Route> functionRoutes() {
        List<Route> routes = new ArrayList<>();
        for (ApiRoute route : ApiRoute.values()) {
            switch (route.servedBy()) {
                case ApiRoute.ServedBy.Lambda lambda ->
                        routes.add(Route.authorized(route.method(), route.pathTemplate(), lambda.function()));
                case ApiRoute.ServedBy.ChannelAuthenticated channel ->
                        routes.add(Route.open(route.method(), route.pathTemplate(), channel.function()));
                case ApiRoute.ServedBy.LocalGateway ignored -> {
                }
            }
        }
        return List.copyOf(routes);
    }

    /** The function of that name. */
    public static Optional<Definition> named(String name) {
        return ALL.stream().filter(function -> function.name().equals(name)).findFirst();
    }

    /** The schedule rule that invokes the function, if one does. */
    public static Optional<ScheduleRule> scheduleOf(String functionName) {
        return SCHEDULE.stream().filter(rule -> rule.function().name().equals(functionName)).findFirst();
    }

    /** What invokes the function, in words, e.g. {@code HTTP routes} or {@code the SQS queue pipedesk-audit}. */
    public static String triggerOf(Definition function) {
        if (function.equals(AUTHORIZER)) {
            return "the gateway, as the Lambda authorizer of the API's routes";
        }
        List<String> triggers = new ArrayList<>();
        ROUTES.stream().filter(route -> route.function().equals(function.name())).findFirst()
                .ifPresent(route -> triggers.add("HTTP routes"));
        QUEUE_TRIGGERS.stream().filter(trigger -> trigger.function().equals(function))
                .forEach(trigger -> triggers.add("the SQS queue " + trigger.queueName()));
        scheduleOf(function.name()).ifPresent(rule -> triggers.add("the schedule rule " + rule.ruleName()));
        return triggers.isEmpty() ? "nothing" : String.join(" and ", triggers);
    }

    private LocalFunctions() {
    }
}
