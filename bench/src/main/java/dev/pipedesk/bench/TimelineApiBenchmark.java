package dev.pipedesk.bench;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.http.ApiGatewayEvents;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.http.RenderedJson;
import dev.pipedesk.postgres.SqlStatement;
import dev.pipedesk.postgres.TimelinePage;
import dev.pipedesk.postgres.TimelinePosition;
import dev.pipedesk.postgres.TimelineQuery;
import dev.pipedesk.postgres.TimelineRepository;
import dev.pipedesk.postgres.TimelineSource;
import dev.pipedesk.timeline.TimelinePageView;
import dev.pipedesk.timeline.TimelineRoutes;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The unified timeline on the benchmark database, per query shape (the big deal and a typical
 * entity: first page, a page {@value AuditLogApiBenchmark#DEEP_PAGES} pages deep by cursor, a
 * type-filtered page, a date-filtered page): the timeline function's handler in-process
 * ({@code TimelineRoutes} → {@code TimelineService} → {@code TimelineRepository}, rendered to JSON)
 * against the raw SQL alone (the repository's own statements, {@link TimelineRepository#mergedStatement},
 * on the same pool), the materialized alternative ({@link MaterializedTimeline}), the peer's method
 * ({@link PeerTimeline}) and, with a stack, the same request through the local API.
 */
public final class TimelineApiBenchmark {
    static final int PAGE = AuditLogApiBenchmark.PAGE;
    /** The date-filtered shape's window: a quarter inside the generated three years. */
    static final Instant SINCE = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2025-04-01T00:00:00Z");

    private final TimelineDatabase database;
    private final PrintStream out;

    public TimelineApiBenchmark(TimelineDatabase database, PrintStream out) {
        this.database = Objects.requireNonNull(database, "database");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * One request shape.
     *
     * @param query        the route's query string (with the deep page's cursor)
     * @param repository   the repository query it runs (raw SQL, EXPLAIN)
     * @param materialized the materialized design's statement for the same page
     * @param peerTypes    the peer's in-memory type filter (null: all); {@code peerOffset} its offset
     */
    public record Shape(String name, String entityType, String entityId, String entityEmail, Map<String, String> query,
                        TimelineQuery repository, MaterializedTimeline.QueryShape materialized,
                        MaterializedTimeline.QueryShape materializedCount, Set<String> peerTypes, Instant peerSince,
                        Instant peerUntil, int peerOffset) {
        String path() {
            return "/api/timeline/" + entityType + "/" + entityId;
        }

        String url() {
            return query.isEmpty() ? path() : path() + "?" + query.entrySet().stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
        }
    }

    /**
     * @param inProcess     the whole handler: the page read ({@code service}), written as JSON, its ETag, the response
     * @param service       the timeline service alone: the request parsed and the page read
     *                      ({@link TimelineRoutes#timelinePage}), not written; the ratio target's subject
     * @param rawSql        the repository's statements alone on the same pool, measured beside both
     * @param materialized  the materialized design's page (+ its count on first pages) on the same pool, measured
     *                      beside {@code unionBesideMaterialized}, the repository's statements again
     * @param peer          the peer's method (null when not run for this shape)
     * @param api / handler through the local API, and the function's REPORT (null when not measured)
     */
    public record ShapeResult(Shape shape, int items, long total, Latencies inProcess, Latencies service,
                              Latencies rawSql, Latencies materialized, Latencies unionBesideMaterialized, Latencies peer,
                              Latencies api, Latencies handler) {
        ShapeResult withMaterialized(Latencies materialized, Latencies unionBesideMaterialized) {
            return new ShapeResult(shape, items, total, inProcess, service, rawSql, materialized, unionBesideMaterialized,
                    peer, api, handler);
        }

        ShapeResult withPeer(Latencies peer) {
            return new ShapeResult(shape, items, total, inProcess, service, rawSql, materialized, unionBesideMaterialized,
                    peer, api, handler);
        }

        ShapeResult withApi(Latencies api, Latencies handler) {
            return new ShapeResult(shape, items, total, inProcess, service, rawSql, materialized, unionBesideMaterialized,
                    peer, api, handler);
        }

        /** The timeline service's p95 over raw SQL p95 (the target: issue 10's "in-process timeline service"). */
        double serviceOverRaw() {
            return service.p95() / rawSql.p95();
        }

        /** The whole handler's p95 (the page written as JSON, its ETag, the response) over raw SQL p95. */
        double handlerOverRaw() {
            return inProcess.p95() / rawSql.p95();
        }
    }

    public List<Shape> shapes(ApiHandler routes) {
        BenchDataGenerator.Summary data = database.summary();
        List<Shape> shapes = new ArrayList<>();
        shapes.addAll(entityShapes(routes, "the big deal", "deal", data.bigDealId(), data.bigDealEmail(), true));
        shapes.addAll(entityShapes(routes, "a typical " + data.typicalType(), data.typicalType(), data.typicalId(),
                data.typicalEmail(), false));
        return shapes;
    }

    private List<Shape> entityShapes(ApiHandler routes, String label, String type, String id, String email, boolean deep) {
        EntityType entityType = EntityType.parse(type).orElseThrow();
        Set<TimelineSource> all = EnumSet.allOf(TimelineSource.class);
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Shape(label + ", first page", type, id, email, Map.of(),
                new TimelineQuery(entityType, id, all, null, null, PAGE, null, 0, null),
                MaterializedTimeline.page(type, id, null, null, null, null, PAGE),
                MaterializedTimeline.count(type, id, null, null, null), null, null, null, 0));
        if (deep) {
            long matches = page(call(routes, type, id, Map.of())).pagination().total();
            int rows = AuditLogApiBenchmark.deepRows(matches);
            String cursor = walk(routes, type, id, rows);
            TimelinePosition position = repositoryPosition(new TimelineQuery(entityType, id, all, null, null, 200, null, 0, null), rows);
            MaterializedTimeline.Position materialized = materializedPosition(type, id, rows);
            shapes.add(new Shape(AuditLogApiBenchmark.deepName(label, rows), type, id, email,
                    Map.of("cursor", cursor), new TimelineQuery(entityType, id, all, null, null, PAGE, position, 0, null),
                    MaterializedTimeline.page(type, id, null, null, null, materialized, PAGE), null, null, null, null, rows));
        }
        shapes.add(new Shape(label + ", meetings only", type, id, email, Map.of("types", "meeting"),
                new TimelineQuery(entityType, id, EnumSet.of(TimelineSource.MEETING), null, null, PAGE, null, 0, null),
                MaterializedTimeline.page(type, id, MaterializedTimeline.MEETING, null, null, null, PAGE),
                MaterializedTimeline.count(type, id, MaterializedTimeline.MEETING, null, null), Set.of("meeting"), null, null, 0));
        shapes.add(new Shape(label + ", Q1 2025 only", type, id, email,
                Map.of("since", SINCE.toString(), "until", UNTIL.toString()),
                new TimelineQuery(entityType, id, all, SINCE, UNTIL, PAGE, null, 0, null),
                MaterializedTimeline.page(type, id, null, SINCE, UNTIL, null, PAGE),
                MaterializedTimeline.count(type, id, null, SINCE, UNTIL), null, SINCE, UNTIL, 0));
        return shapes;
    }

    /** The API's own cursor after {@code rows} entries, walked with limit 200 (a cursor does not fix the page size). */
    private static String walk(ApiHandler routes, String type, String id, int rows) {
        String cursor = null;
        for (int walked = 0; walked < rows; ) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", Integer.toString(Math.min(200, rows - walked)));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            TimelinePageView page = page(call(routes, type, id, query));
            cursor = page.pagination().nextCursor();
            walked += page.items().size();
            if (cursor == null) {
                throw new IllegalStateException(type + " " + id + ": only " + walked + " entries, fewer than " + rows);
            }
        }
        return cursor;
    }

    private TimelinePosition repositoryPosition(TimelineQuery first, int rows) {
        TimelineRepository repository = new TimelineRepository(database.pool());
        TimelineQuery query = first;
        TimelinePosition position = null;
        for (int walked = 0; walked < rows; ) {
            TimelinePage page = repository.page(query);
            walked += page.entries().size();
            position = page.nextPosition();
            query = first.after(position);
        }
        return position;
    }

    private MaterializedTimeline.Position materializedPosition(String type, String id, int rows) {
        MaterializedTimeline.Position position = null;
        try (Connection connection = database.pool().getConnection()) {
            for (int walked = 0; walked < rows; walked += 200) {
                position = MaterializedTimeline.page(type, id, null, null, null, position, 199).run(connection);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return position;
    }

    /**
     * Every shape in-process, its raw SQL and the materialized design (the peer: {@link #withPeers}), in
     * two phases: every shape's handler, service and raw SQL first, then every shape's materialized page
     * beside the raw SQL. The heavy measurements come after ours so that none runs just before a shape's
     * handler is measured: the big deal's materialized page reads thousands of buffers, and the peer
     * reads the whole meetings table on every call (hundreds of megabytes of garbage for the collector,
     * the database's buffers churned); on this machine the database shares the CPUs (and their caches)
     * with the handler, and their aftermath landed in the next shape's tail.
     */
    public List<ShapeResult> inProcess(TimelineRoutes routes, List<Shape> shapes, TimelineOptions options) {
        TimelineRepository repository = new TimelineRepository(database.pool());
        List<ShapeResult> ours = new ArrayList<>();
        for (Shape shape : shapes) {
            TimelinePageView[] last = new TimelinePageView[1];
            Budget.Call handler = () -> {
                HttpResponse response = call(routes, shape.entityType(), shape.entityId(), shape.query());
                // As the function renders it: the page's JSON, written once, is the response's body.
                ApiGatewayEvents.toResponse(response);
                last[0] = page(response);
            };
            // The timeline service alone: the same request parsed and its page read, not written as JSON.
            Budget.Call service = () -> routes.timelinePage(request(shape.entityType(), shape.entityId(), shape.query()),
                    CALLER);
            // Side by side, call after call, so that all three see the same (shared) machine.
            List<Latencies> besideRaw = Budget.interleaved(options.warmup(), options.iterations(),
                    options.shapeSeconds(), List.of(handler, service, rawSql(repository, shape)));
            TimelinePageView page = Objects.requireNonNull(last[0]);
            ShapeResult result = new ShapeResult(shape, page.items().size(), page.pagination().total(), besideRaw.get(0),
                    besideRaw.get(1), besideRaw.get(2), null, null, null, null, null);
            out.printf("  %-40s handler p50 %6.2f p95 %6.2f (%.2fx) | service p50 %6.2f p95 %6.2f (%.2fx) | raw SQL p50 %6.2f"
                            + " p95 %6.2f ms%n", shape.name(), result.inProcess().p50(), result.inProcess().p95(),
                    result.handlerOverRaw(), result.service().p50(), result.service().p95(), result.serviceOverRaw(),
                    result.rawSql().p50(), result.rawSql().p95());
            ours.add(result);
        }
        List<ShapeResult> results = new ArrayList<>();
        for (ShapeResult result : ours) {
            Shape shape = result.shape();
            Budget.Call materializedPage = () -> {
                try (Connection connection = database.pool().getConnection()) {
                    shape.materialized().run(connection);
                    if (shape.materializedCount() != null) {
                        shape.materializedCount().run(connection);
                    }
                }
            };
            List<Latencies> besideRaw = Budget.interleaved(options.warmup(), options.iterations(), options.shapeSeconds(),
                    List.of(materializedPage, rawSql(repository, shape)));
            out.printf("  %-40s materialized p50 %6.2f p95 %6.2f (raw SQL beside it p50 %6.2f) ms%n", shape.name(),
                    besideRaw.get(0).p50(), besideRaw.get(0).p95(), besideRaw.get(1).p50());
            results.add(result.withMaterialized(besideRaw.get(0), besideRaw.get(1)));
        }
        return results;
    }

    /**
     * What the handler runs, statement for statement: one merged statement per page, in autocommit (the
     * pool's default, as the repository runs it), every column of every row read as text.
     */
    private Budget.Call rawSql(TimelineRepository repository, Shape shape) {
        SqlStatement statement = repository.mergedStatement(shape.repository());
        return () -> {
            try (Connection connection = database.pool().getConnection()) {
                run(connection, statement.sql(), statement.parameters());
            }
        };
    }

    /**
     * The peer's method for every shape ({@link PeerTimeline}): run after everything else measured
     * in-process (the audit-log API too), as it reads the whole meetings table on every call.
     */
    public List<ShapeResult> withPeers(List<ShapeResult> measured, TimelineOptions options) {
        PeerTimeline peerTimeline = new PeerTimeline(database.pool());
        List<ShapeResult> results = new ArrayList<>();
        for (ShapeResult result : measured) {
            Shape shape = result.shape();
            Latencies peer = Budget.measure(Math.min(1, options.peerIterations()), options.peerIterations(), options.shapeSeconds(),
                    () -> peerTimeline.page(shape.entityType(), shape.entityId(), shape.entityEmail(), shape.peerTypes(),
                            shape.peerSince(), shape.peerUntil(), PAGE, shape.peerOffset()));
            out.printf("  %-40s peer p50 %8.1f p95 %8.1f ms%n", shape.name(), peer.p50(), peer.p95());
            results.add(result.withPeer(peer));
        }
        return results;
    }

    /** The same shapes through the local API (rate limiter on), with the function's REPORT durations. */
    public List<ShapeResult> throughApi(BenchStack stack, List<ShapeResult> inProcess, int warmup, int iterations) {
        String function = dev.pipedesk.local.LocalFunctions.TIMELINE.name();
        List<String> tokens = new ArrayList<>();
        for (int u = 0; u < AuditLogApiBenchmark.USERS; u++) {
            tokens.add(stack.token(Role.ADMIN, "bench-timeline-" + u));
        }
        List<ShapeResult> results = new ArrayList<>();
        int request = 0;
        for (ShapeResult measured : inProcess) {
            Shape shape = measured.shape();
            for (int i = 0; i < warmup; i++) {
                stack.call("GET", shape.url(), tokens.get(request++ % tokens.size()), null).requireStatus(200, shape.name());
            }
            int count = Math.min(iterations, Math.max(Budget.MIN_SAMPLES, measured.inProcess().count()));
            BenchStack.ApiTimings timings = stack.timedGets(function, shape.name(), shape.url(), tokens, request, count);
            request += count;
            Latencies api = timings.api();
            Latencies handler = timings.handler();
            out.printf("  %-40s local API p50 %7.2f ms p95 %7.2f ms (handler p50 %.2f, p95 %.2f)%n", shape.name(), api.p50(),
                    api.p95(), handler.p50(), handler.p95());
            results.add(measured.withApi(api, handler));
        }
        return results;
    }

    /** The page a timeline response carries (its body is the page written as JSON once, {@link RenderedJson}). */
    static TimelinePageView page(HttpResponse response) {
        return (TimelinePageView) ((RenderedJson<?>) response.body()).value();
    }

    /** The benchmark's caller: an admin, who reads every source. */
    static final ApiHandler.Caller CALLER = new ApiHandler.Caller(
            new Principal("bench-admin", "bench-admin@pipedesk.local", Role.ADMIN), false);

    static HttpRequest request(String type, String id, Map<String, String> query) {
        return new HttpRequest(ApiRoute.GET_TIMELINE.routeKey(), "GET", "/api/timeline/" + type + "/" + id,
                Map.of("entity_type", type, "entity_id", id), query, Map.of(), null, "bench", "127.0.0.1", "bench", null);
    }

    static HttpResponse call(ApiHandler routes, String type, String id, Map<String, String> query) {
        HttpResponse response = routes.handle(request(type, id, query), CALLER);
        if (response.status() != 200) {
            throw new IllegalStateException("timeline " + type + " " + id + " " + query + " answered " + response.status()
                    + ": " + Json.write(response.body()));
        }
        return response;
    }

    /** Runs a statement and reads every column of every row. */
    static void run(Connection connection, String sql, List<?> parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                statement.setObject(i + 1, value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value);
            }
            try (ResultSet rows = statement.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int c = 1; c <= columns; c++) {
                        rows.getString(c);
                    }
                }
            }
        }
    }
}
