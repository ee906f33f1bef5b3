package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EventView;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.EntityTag;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.http.IfMatch;
import dev.pipedesk.http.IfNoneMatch;
import dev.pipedesk.postgres.EventPage;

/** The calendar API's routes: parse, call the service, render. */
public record CalendarRoutes(CalendarService service) implements ApiHandler {

    @Override
    public HttpResponse handle(HttpRequest request, Caller caller) {
        return switch (ApiRoute.withRouteKey(request.routeKey())) {
            case CREATE_EVENT -> {
                NewEvent input = EventInput.parseNew(request.body());
                CalendarService.Created created = service.create(input,
                        EventInput.idempotencyKey(request.header("idempotency-key")), caller.principal(), origin(request));
                HttpResponse response = HttpResponse.created(view(created.event(), caller))
                        .withETag(EventVersion.of(created.event()));
                yield created.replayed() ? response.withHeader("Idempotent-Replayed", "true") : response;
            }
            case LIST_EVENTS -> {
                EventPage page = service.list(EventInput.parseQuery(request.query()), caller.principal());
                yield HttpResponse.ok(page.items().stream().map(e -> view(e, caller)).toList())
                        .withHeader("X-Total-Count", Long.toString(page.total()));
            }
            case GET_EVENT -> {
                IfNoneMatch ifNoneMatch = IfNoneMatch.of(request);
                CalendarEvent event = service.get(eventId(request), caller.principal());
                EntityTag version = EventVersion.of(event);
                yield ifNoneMatch.holds(version) ? HttpResponse.notModified(version) : single(event, caller);
            }
            case UPDATE_EVENT -> {
                IfMatch ifMatch = IfMatch.of(request);
                String id = eventId(request);
                EventChanges changes = EventInput.parseChanges(request.body());
                yield single(service.update(id, changes, ifMatch, caller.principal(),
                        origin(request)), caller);
            }
            case CANCEL_EVENT -> single(service.cancel(eventId(request), IfMatch.of(request),
                    caller.principal(), origin(request)), caller);
            case WATCH_CALENDAR, LIST_CHANNELS -> throw new ApiException(
                    ErrorCode.NOT_IMPLEMENTED, "Watch channels arrive with Google Calendar sync; not available yet.");
            case null, default -> throw ApiException.notFound("No route " + request.routeKey());
        };
    }

    private static String eventId(HttpRequest request) {
        return EventInput.eventId(request.pathParameter("id"));
    }

    private static RequestOrigin origin(HttpRequest request) {
        return new RequestOrigin(request.requestId(), request.sourceIp(), request.userAgent());
    }

    /** 200 with one meeting and its version in {@code ETag}. */
    private static HttpResponse single(CalendarEvent event, Caller caller) {
        return HttpResponse.ok(view(event, caller)).withETag(EventVersion.of(event));
    }

    private static EventView view(CalendarEvent event, Caller caller) {
        return EventView.of(event, caller.redacted());
    }
}
