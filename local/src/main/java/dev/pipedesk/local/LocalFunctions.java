package dev.pipedesk.local;

import dev.pipedesk.local.gateway.LocalApiGateway;
import dev.pipedesk.local.gateway.Route;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** PipeDesk's functions and HTTP routes as the local stack runs them (the same table CDK deploys). */
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
            new Definition("calendar", "dev.pipedesk.calendar.CalendarApplication");
    public static final Definition TIMELINE =
            new Definition("timeline", "dev.pipedesk.timeline.TimelineApplication");

    /** SQS-triggered by the audit queue (through the local event source mapping); no HTTP route. */
    public static final Definition AUDIT_WRITER =
            new Definition("audit-writer", "dev.pipedesk.auditwriter.AuditWriterApplication");
    /** Invoked by the schedule (EventBridge in AWS, the local scheduler here); no HTTP route. */
    public static final Definition CHANNEL_RENEWAL =
            new Definition("channel-renewal", "dev.pipedesk.renewal.ChannelRenewalApplication");

    public static final List<Definition> ALL = List.of(AUTHORIZER, CALENDAR, TIMELINE, AUDIT_WRITER, CHANNEL_RENEWAL);

    /** The HTTP API's routes; every one of them goes through the Lambda authorizer. */
    public static final List<Route> ROUTES = List.of(
            Route.authorized("POST", "/api/calendar/events", CALENDAR.name()),
            Route.authorized("GET", "/api/calendar/events", CALENDAR.name()),
            Route.authorized("GET", "/api/calendar/events/{id}", CALENDAR.name()),
            Route.authorized("PATCH", "/api/calendar/events/{id}", CALENDAR.name()),
            Route.authorized("DELETE", "/api/calendar/events/{id}", CALENDAR.name()),
            Route.authorized("POST", "/api/calendar/watch", CALENDAR.name()),
            Route.authorized("GET", "/api/calendar/channels", CALENDAR.name()),
            Route.authorized("GET", "/api/timeline/{entity_type}/{entity_id}", TIMELINE.name()),
            Route.authorized("GET", "/api/audit-logs", TIMELINE.name()),
            Route.authorized("GET", "/api/audit-logs/entity/{entity_type}/{entity_id}", TIMELINE.name()),
            Route.authorized("GET", "/api/audit-logs/user/{user_id}", TIMELINE.name()));

    private LocalFunctions() {
    }
}
