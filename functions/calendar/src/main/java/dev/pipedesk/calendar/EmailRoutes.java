package dev.pipedesk.calendar;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.email.EmailView;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.postgres.EmailQuery;
import java.util.EnumSet;
import java.util.Set;

/**
 * The e-mail routes of the calendar function (the CRM activity writer): parse, call the
 * {@link EmailService}, render. {@link CalendarRoutes} hands them the routes of {@link #ROUTES}.
 */
public record EmailRoutes(EmailService service) implements ApiHandler {
    /** The routes served here. */
    static final Set<ApiRoute> ROUTES = EnumSet.of(ApiRoute.LOG_EMAIL, ApiRoute.LIST_EMAILS, ApiRoute.UNLINK_EMAIL);

    @Override
    public HttpResponse handle(HttpRequest request, Caller caller) {
        return switch (ApiRoute.withRouteKey(request.routeKey())) {
            case LOG_EMAIL -> {
                EmailService.Logged logged = service.log(EmailInput.parseNew(request.body()), caller.principal(),
                        CalendarRoutes.origin(request));
                EmailView view = EmailView.of(logged.email());
                yield logged.created() ? HttpResponse.created(view) : HttpResponse.ok(view);
            }
            case LIST_EMAILS -> {
                EmailQuery query = EmailInput.parseQuery(request.query());
                yield HttpResponse.ok(EmailPageView.of(service.list(query), query));
            }
            case UNLINK_EMAIL -> HttpResponse.ok(EmailView.of(service.unlink(
                    EmailInput.emailId(request.pathParameter("id")), caller.principal(), CalendarRoutes.origin(request))));
            case null, default -> throw ApiException.notFound("No route " + request.routeKey());
        };
    }
}
