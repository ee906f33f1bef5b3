package dev.pipedesk.calendar;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.postgres.EventPage;

/** The calendar API's routes: parse, call the service, render. */
public final class CalendarRoutes implements ApiHandler {
    private final CalendarService service;

    public CalendarRoutes(CalendarService service) {
        this.service = service;
    }

    @Override
    public HttpResponse handle(HttpRequest request, Caller caller) {
        return switch (ApiRoute.withRouteKey(request.routeKey())) {
            case CREATE_EVENT -> {
                NewEvent input = EventInput.parseNew(request.body());
                CalendarService.Created created = service.create(input,
                        EventInput.idempotencyKey(request.header("idempotency-key")), caller.principal(), origin(request));
                HttpResponse response = HttpResponse.created(view(created.event(), caller));
                yield created.replayed() ? response.withHeader("Idempotent-Replayed", "true") : response;
            }
            case LIST_EVENTS -> {
                EventPage page = service.list(EventInput.parseQuery(request.query()));
                yield HttpResponse.ok(page.items().stream().map(e -> view(e, caller)).toList())
                        .withHeader("X-Total-Count", Long.toString(page.total()));
            }
            case GET_EVENT -> HttpResponse.ok(view(service.get(eventId(request)), caller));
            case UPDATE_EVENT -> {
                String id = eventId(request);
                EventChanges changes = EventInput.parseChanges(request.body());
                yield HttpResponse.ok(view(service.update(id, changes, caller.principal(), origin(request)), caller));
            }
            case CANCEL_EVENT -> HttpResponse.ok(view(service.cancel(eventId(request), caller.principal(), origin(request)), caller));
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

    private static EventView view(CalendarEvent event, Caller caller) {
        return EventView.of(event, caller.redacted());
    }
}
