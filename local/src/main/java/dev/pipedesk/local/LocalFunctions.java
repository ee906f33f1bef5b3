package dev.pipedesk.local;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.local.gateway.LocalApiGateway;
import dev.pipedesk.local.gateway.Route;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** PipeDesk's functions and HTTP routes as the local stack runs them (the routes from {@link ApiRoute}, as CDK deploys them). */
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

    /** SQS-triggered by the audit queue (through the local event source mapping); no HTTP route. */
    public static final Definition AUDIT_WRITER =
            new Definition("audit-writer", "dev.pipedesk.auditwriter.AuditWriterApplication");
    /** Invoked by the schedule (EventBridge in AWS, the local scheduler here); no HTTP route. */
    public static final Definition CHANNEL_RENEWAL =
            new Definition("channel-renewal", "dev.pipedesk.renewal.ChannelRenewalApplication");

    public static final List<Definition> ALL = List.of(AUTHORIZER, CALENDAR, TIMELINE, AUDIT_WRITER, CHANNEL_RENEWAL);

    /**
     * The HTTP API's routes: every {@link ApiRoute} a function serves, each behind the Lambda
     * authorizer (the local-only ones are the gateway's own).
     */
    public static final List<Route> ROUTES = functionRoutes();

    private static List<Route> functionRoutes() {
        List<Route> routes = new ArrayList<>();
        for (ApiRoute route : ApiRoute.values()) {
            if (route.servedBy() instanceof ApiRoute.ServedBy.Lambda lambda) {
                routes.add(Route.authorized(route.method(), route.pathTemplate(), lambda.function()));
            }
        }
        return List.copyOf(routes);
    }

    private LocalFunctions() {
    }
}
