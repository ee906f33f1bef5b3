package dev.pipedesk.calendar;

import dev.pipedesk.core.calendar.EventView;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.http.ApiHandler;
import dev.pipedesk.http.EntityTag;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.http.IfMatch;
import dev.pipedesk.http.IfNoneMatch;
import dev.pipedesk.postgres.EventPage;
import dev.pipedesk.sync.CalendarSyncView;
import dev.pipedesk.sync.ChannelManager;
import java.util.List;

/**
 * The calendar function's routes: the meetings and watch channels here (parse, call the
 * service, render); the e-mail routes handed to {@link EmailRoutes}.
 *
 * @param service  the meetings
 * @param channels the watch channels of the synced calendars (admin routes)
 * @param emails   the e-mails logged against CRM entities, or null where a test serves no e-mail
 *                 routes (they then answer 404)
 */
public record CalendarRoutes(CalendarService service, ChannelManager channels, EmailRoutes emails)
        implements ApiHandler {

    /** Meetings and channels only (tests). */
    public CalendarRoutes(CalendarService service, ChannelManager channels) {
        this(service, channels, null);
    }

    /** The body of {@code GET /api/calendar/channels}. */
    record Calendars(@JsonProperty("calendars") List<CalendarSyncView> calendars) {
    }

    @Override
    public HttpResponse handle(HttpRequest request, Caller caller) {
        ApiRoute route = ApiRoute.withRouteKey(request.routeKey());
        if (emails != null && EmailRoutes.ROUTES.contains(route)) {
            return emails.handle(request, caller);
        }
        return switch (route) {
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
            case WATCH_CALENDAR -> {
                String calendarId = EventInput.watchedCalendarId(request.body());
                ChannelManager.Watched watched = channels.ensureChannel(
                        calendarId == null ? service.defaultCalendar() : calendarId);
                yield watched.created() ? HttpResponse.created(watched.view()) : HttpResponse.ok(watched.view());
            }
            case LIST_CHANNELS -> HttpResponse.ok(new Calendars(channels.overview()));
            case STOP_CHANNEL -> HttpResponse.ok(channels.stop(EventInput.channelId(request.pathParameter("id"))));
            case null, default -> throw ApiException.notFound("No route " + request.routeKey());
        };
    }

    private static String eventId(HttpRequest request) {
        return EventInput.eventId(request.pathParameter("id"));
    }

    /** Who sent the request, as audit events record it. */
    static RequestOrigin origin(HttpRequest request) {
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
