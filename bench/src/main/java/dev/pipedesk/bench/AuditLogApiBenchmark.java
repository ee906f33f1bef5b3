package dev.pipedesk.bench;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.Json;
import dev.pipedesk.http.ApiGatewayEvents;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.postgres.AuditLogPosition;
import dev.pipedesk.postgres.AuditLogQuery;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.SqlStatement;
import dev.pipedesk.timeline.AuditLogPageView;
import dev.pipedesk.timeline.TimelineRoutes;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The audit-log API on the timeline benchmark's database: per query shape (filtered by entity,
 * by user, by action; the first page and a page deep in by cursor), the timeline function's
 * handler in-process ({@link TimelineRoutes} on an {@link AuditLogRepository} over a pool as the
 * function builds it, the answer rendered to JSON) and, when a stack is given, the same request
 * through the local API (gateway, authorizer, rate limiter, function host) with the function's
 * own {@code REPORT} durations beside it.
 */
public final class AuditLogApiBenchmark {
    /** Rows per page (the API's default) and how deep the deep page is, in pages. */
    static final int PAGE = 50;
    static final int DEEP_PAGES = 100;
    /** Distinct admin users the through-the-API requests rotate over, so none reaches the per-user limit. */
    static final int USERS = 64;

    private final TimelineDatabase database;
    private final PrintStream out;

    public AuditLogApiBenchmark(TimelineDatabase database, PrintStream out) {
        this.database = Objects.requireNonNull(database, "database");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * One request shape.
     *
     * @param query    the repository query it runs (for EXPLAIN)
     * @param cursor   the request's cursor (deep pages), or null
     */
    public record Shape(String name, ApiRoute route, String path, Map<String, String> pathParameters,
                        Map<String, String> queryParameters, AuditLogQuery query) {
        String url() {
            if (queryParameters.isEmpty()) {
                return path;
            }
            return path + "?" + queryParameters.entrySet().stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
        }
    }

    /**
     * @param items   rows on the page
     * @param total   the page's {@code total}
     * @param api     client latency through the local API (null when not measured)
     * @param handler the timeline function's REPORT durations of those requests (null when not measured)
     */
    public record ShapeResult(Shape shape, int items, long total, Latencies inProcess, Latencies api, Latencies handler) {
    }

    public record Result(int warmup, int iterations, List<ShapeResult> shapes, String apiMissing) {
    }

    /** The shapes on this database: built first (deep cursors walked in-process), then measured. */
    public List<Shape> shapes(TimelineRoutes routes) {
        BenchDataGenerator.Summary data = database.summary();
        List<Shape> shapes = new ArrayList<>();
        Shape bigDeal = shape("entity: the big deal, first page", ApiRoute.LIST_ENTITY_AUDIT_LOGS,
                "/api/audit-logs/entity/deal/" + data.bigDealId(), Map.of("entity_type", "deal", "entity_id", data.bigDealId()),
                Map.of(), new AuditLogQuery("deal", data.bigDealId(), null, null, null, null, null, PAGE, 0));
        shapes.add(bigDeal);
        shapes.add(deep(routes, bigDeal, "entity: the big deal"));
        shapes.add(shape("entity: a typical " + data.typicalType() + ", first page", ApiRoute.LIST_ENTITY_AUDIT_LOGS,
                "/api/audit-logs/entity/" + data.typicalType() + "/" + data.typicalId(),
                Map.of("entity_type", data.typicalType(), "entity_id", data.typicalId()), Map.of(),
                new AuditLogQuery(data.typicalType(), data.typicalId(), null, null, null, null, null, PAGE, 0)));
        Shape user = shape("user: the busiest user, first page", ApiRoute.LIST_USER_AUDIT_LOGS,
                "/api/audit-logs/user/" + data.busyUser(), Map.of("user_id", data.busyUser()), Map.of(),
                new AuditLogQuery(null, null, null, data.busyUser(), null, null, null, PAGE, 0));
        shapes.add(user);
        shapes.add(deep(routes, user, "user: the busiest user"));
        Shape action = shape("action=update, first page", ApiRoute.LIST_AUDIT_LOGS, "/api/audit-logs", Map.of(),
                Map.of("action", "update"), new AuditLogQuery(null, null, "update", null, null, null, null, PAGE, 0));
        shapes.add(action);
        shapes.add(deep(routes, action, "action=update"));
        return shapes;
    }

    private static Shape shape(String name, ApiRoute route, String path, Map<String, String> pathParameters,
                               Map<String, String> query, AuditLogQuery repositoryQuery) {
        return new Shape(name, route, path, pathParameters, query, repositoryQuery);
    }

    /** How deep the deep page is: {@value #DEEP_PAGES} pages when a full page follows them, else half the matches (small databases). */
    static int deepRows(long matches) {
        long rows = (long) DEEP_PAGES * PAGE;
        return (int) (matches >= rows + PAGE ? rows : Math.max(1, matches / 2));
    }

    /** A deep shape's name: "page 101 by cursor", or where it starts when the database is too small for that. */
    static String deepName(String label, int rows) {
        return label + (rows == DEEP_PAGES * PAGE ? ", page " + (DEEP_PAGES + 1) + " by cursor" : ", after " + rows + " rows by cursor");
    }

    /**
     * The same request {@value #DEEP_PAGES} pages in: the cursor is the API's own, taken from a
     * walk with limit 200 (a cursor does not fix the page size) to row {@code DEEP_PAGES × PAGE}.
     */
    private Shape deep(TimelineRoutes routes, Shape first, String label) {
        int rows = deepRows(((AuditLogPageView) call(routes, first, first.queryParameters()).body()).pagination().total());
        String name = deepName(label, rows);
        String cursor = null;
        for (int walked = 0; walked < rows; ) {
            int limit = Math.min(200, rows - walked);
            Map<String, String> query = new LinkedHashMap<>(first.queryParameters());
            query.put("limit", Integer.toString(limit));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            AuditLogPageView page = (AuditLogPageView) call(routes, first, query).body();
            cursor = page.pagination().nextCursor();
            walked += page.items().size();
            if (cursor == null) {
                throw new IllegalStateException(first.name() + ": only " + walked + " rows, fewer than " + rows);
            }
        }
        Map<String, String> query = new LinkedHashMap<>(first.queryParameters());
        query.put("cursor", cursor);
        AuditLogPosition position = position(first.query(), rows);
        AuditLogQuery q = first.query();
        return new Shape(name, first.route(), first.path(), first.pathParameters(), query,
                new AuditLogQuery(q.entityType(), q.entityId(), q.action(), q.actorId(), q.occurredFrom(), q.occurredBefore(),
                        position, PAGE, 0));
    }

    /** The keyset position of row {@code rows} (1-based) of a query's order, for EXPLAIN of the deep page. */
    private AuditLogPosition position(AuditLogQuery query, int rows) {
        AuditLogQuery all = new AuditLogQuery(query.entityType(), query.entityId(), query.action(), query.actorId(),
                query.occurredFrom(), query.occurredBefore(), null, 1, rows - 1);
        SqlStatement page = AuditLogRepository.statements(all).page();
        try (Connection connection = database.unpooled().getConnection();
             PreparedStatement statement = connection.prepareStatement(page.sql())) {
            for (int i = 0; i < page.parameters().size(); i++) {
                Object value = page.parameters().get(i);
                statement.setObject(i + 1, value instanceof Instant instant ? instant.atOffset(java.time.ZoneOffset.UTC) : value);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return new AuditLogPosition(row.getObject("occurred_at", OffsetDateTime.class).toInstant(), row.getLong("id"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot find row " + rows + " of " + query, e);
        }
    }

    /**
     * The handler in-process: every shape, warm-up then measured, one request at a time; a shape
     * stops after {@code shapeSeconds} once it has {@value Budget#MIN_SAMPLES} samples.
     */
    public List<ShapeResult> inProcess(TimelineRoutes routes, List<Shape> shapes, int warmup, int iterations, int shapeSeconds) {
        List<ShapeResult> results = new ArrayList<>();
        for (Shape shape : shapes) {
            HttpResponse[] last = new HttpResponse[1];
            Latencies latencies = Budget.measure(warmup, iterations, shapeSeconds, () -> {
                HttpResponse response = call(routes, shape, shape.queryParameters());
                ApiGatewayEvents.toResponse(response);  // rendered as the function renders it
                last[0] = response;
            });
            AuditLogPageView page = (AuditLogPageView) Objects.requireNonNull(last[0]).body();
            out.printf("  %-48s in-process p50 %7.2f ms p95 %7.2f ms (%d samples; %d rows, total %,d)%n", shape.name(),
                    latencies.p50(), latencies.p95(), latencies.count(), page.items().size(), page.pagination().total());
            results.add(new ShapeResult(shape, page.items().size(), page.pagination().total(), latencies, null, null));
        }
        return results;
    }

    /** The same shapes through the local API (rate limiter on), with the function's REPORT durations. */
    public List<ShapeResult> throughApi(BenchStack stack, List<ShapeResult> inProcess, int warmup, int iterations) {
        List<ShapeResult> results = new ArrayList<>();
        String function = dev.pipedesk.local.LocalFunctions.TIMELINE.name();
        List<String> tokens = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            tokens.add(stack.token(Role.ADMIN, "bench-admin-" + u));
        }
        int request = 0;
        for (ShapeResult measured : inProcess) {
            Shape shape = measured.shape();
            for (int i = 0; i < warmup; i++) {
                stack.call("GET", shape.url(), tokens.get(request++ % USERS), null).requireStatus(200, shape.name());
            }
            int count = Math.min(iterations, Math.max(Budget.MIN_SAMPLES, measured.inProcess().count()));
            BenchStack.ApiTimings timings = stack.timedGets(function, shape.name(), shape.url(), tokens, request, count);
            request += count;
            Latencies api = timings.api();
            Latencies handler = timings.handler();
            out.printf("  %-48s local API p50 %7.2f ms p95 %7.2f ms (handler p50 %.2f, p95 %.2f)%n", shape.name(), api.p50(),
                    api.p95(), handler.p50(), handler.p95());
            results.add(new ShapeResult(shape, measured.items(), measured.total(), measured.inProcess(), api, handler));
        }
        return results;
    }

    static HttpResponse call(ApiHandler routes, Shape shape, Map<String, String> query) {
        HttpRequest request = new HttpRequest(shape.route().routeKey(), "GET", shape.path(), shape.pathParameters(), query,
                Map.of(), null, "bench", "127.0.0.1", "bench", null);
        HttpResponse response = routes.handle(request, new ApiHandler.Caller(new Principal("bench-admin", "bench-admin@pipedesk.local",
                Role.ADMIN), false));
        if (response.status() != 200) {
            throw new IllegalStateException(shape.name() + " answered " + response.status() + ": " + Json.write(response.body()));
        }
        return response;
    }
}
