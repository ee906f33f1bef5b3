package dev.pipedesk.timeline;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.EntityTag;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.http.IfNoneMatch;
import dev.pipedesk.http.RenderedJson;
import dev.pipedesk.postgres.AuditLogPage;
import dev.pipedesk.postgres.AuditLogQuery;
import dev.pipedesk.postgres.AuditLogRepository;
import dev.pipedesk.postgres.TimelineRepository;
import javax.sql.DataSource;

/**
 * The timeline function's routes: the audit-log API and the unified timeline (parse, read,
 * render). The role rules are the route policy's (already checked by {@code ApiFunction}, which
 * also says whether the caller sees redacted data); the one ownership rule, a user reading their
 * own trail, is here.
 */
public record TimelineRoutes(AuditLogRepository auditLogs, TimelineService timeline) implements ApiHandler {

    /** The routes reading {@code database}. */
    public static TimelineRoutes on(DataSource database) {
        return new TimelineRoutes(new AuditLogRepository(database), new TimelineService(new TimelineRepository(database)));
    }

    @Override
    public HttpResponse handle(HttpRequest request, Caller caller) {
        return switch (ApiRoute.withRouteKey(request.routeKey())) {
            case LIST_AUDIT_LOGS -> list(new AuditLogScope.All(), request);
            case LIST_ENTITY_AUDIT_LOGS -> list(
                    new AuditLogScope.Entity(request.pathParameter("entity_type"), request.pathParameter("entity_id")),
                    request);
            case LIST_USER_AUDIT_LOGS -> {
                String userId = request.pathParameter("user_id");
                requireAdminOrSelf(caller.principal(), userId);
                yield list(new AuditLogScope.User(userId), request);
            }
            case GET_TIMELINE -> timeline(request, caller);
            case null, default -> throw ApiException.notFound("No route " + request.routeKey());
        };
    }

    private HttpResponse list(AuditLogScope scope, HttpRequest request) {
        AuditLogQuery query = AuditLogInput.parse(scope, request.query());
        AuditLogPage page = auditLogs.list(query);
        return HttpResponse.ok(AuditLogPageView.of(page, query));
    }

    /**
     * {@code GET /api/timeline/{entity_type}/{entity_id}}: the page with its {@code ETag}, or 304
     * when {@code If-None-Match} already names it. The page is written as JSON once: its tag is the
     * hash of that text, and the response copies the text.
     */
    private HttpResponse timeline(HttpRequest request, Caller caller) {
        TimelineRequest parsed = timelineRequest(request, caller);
        IfNoneMatch ifNoneMatch = IfNoneMatch.of(request);
        RenderedJson<TimelinePageView> page = RenderedJson.of(timeline.page(parsed, caller.redacted()));
        EntityTag version = page.entityTag();
        return ifNoneMatch.holds(version) ? HttpResponse.notModified(version) : HttpResponse.ok(page).withETag(version);
    }

    /**
     * The page a {@code GET /api/timeline/{entity_type}/{entity_id}} request reads, before it is
     * written as JSON: its input parsed and checked, then read by the {@link TimelineService} (the
     * benchmark measures this beside the whole response).
     *
     * @throws ApiException 422 for bad input, 503 when no source could be read
     */
    public TimelinePageView timelinePage(HttpRequest request, Caller caller) {
        return timeline.page(timelineRequest(request, caller), caller.redacted());
    }

    private static TimelineRequest timelineRequest(HttpRequest request, Caller caller) {
        return TimelineInput.parse(request.pathParameter("entity_type"), request.pathParameter("entity_id"),
                request.query(), caller.principal(), caller.redacted());
    }

    /** Admins read anyone's trail; everyone else only their own. */
    static void requireAdminOrSelf(Principal principal, String userId) {
        if (principal.role() != Role.ADMIN && !principal.userId().equals(userId)) {
            throw ApiException.forbidden("You may only read your own audit trail.");
        }
    }
}
