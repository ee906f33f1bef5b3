package dev.pipedesk.timeline;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.postgres.AuditLogPage;
import dev.pipedesk.postgres.AuditLogQuery;
import dev.pipedesk.postgres.AuditLogRepository;

/**
 * The timeline function's routes: the audit-log API (parse, read, render) and, until it is
 * built, 501 for the unified timeline. The role rules are the route policy's (already checked
 * by {@code ApiFunction}); the one ownership rule, a user reading their own trail, is here.
 */
public record TimelineRoutes(AuditLogRepository auditLogs) implements ApiHandler {

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
            case GET_TIMELINE -> throw new ApiException(ErrorCode.NOT_IMPLEMENTED,
                    "The unified timeline is not available yet.");
            case null, default -> throw ApiException.notFound("No route " + request.routeKey());
        };
    }

    private HttpResponse list(AuditLogScope scope, HttpRequest request) {
        AuditLogQuery query = AuditLogInput.parse(scope, request.query());
        AuditLogPage page = auditLogs.list(query);
        return HttpResponse.ok(AuditLogPageView.of(page, query));
    }

    /** Admins read anyone's trail; everyone else only their own. */
    static void requireAdminOrSelf(Principal principal, String userId) {
        if (principal.role() != Role.ADMIN && !principal.userId().equals(userId)) {
            throw ApiException.forbidden("You may only read your own audit trail.");
        }
    }
}
