package dev.pipedesk.emulator.calendar;

/** calendars.get and the events endpoints: parameter parsing and validation in front of {@link CalendarService}. */
final class EventsApi {

    private final CalendarService service;

    EventsApi(CalendarService service) {
        this.service = service;
    }

    /** calendars.get: {@code primary} is the acting identity's calendar, whose id is its e-mail. */
    ApiResponse calendar(String calendarId, Identity identity) {
        return ApiResponse.ok(service.calendar(service.resolveCalendarId(calendarId, identity)));
    }

    ApiResponse list(ApiRequest request, String calendarId, Identity identity) {
        ListQuery query = ListQuery.parse(request);
        return ApiResponse.ok(service.list(service.resolveCalendarId(calendarId, identity), query));
    }

    ApiResponse insert(ApiRequest request, String calendarId, Identity identity) {
        int conferenceDataVersion = conferenceDataVersion(request);
        return ApiResponse.ok(service.insert(service.resolveCalendarId(calendarId, identity), identity,
                request.jsonObject(), conferenceDataVersion));
    }

    ApiResponse get(ApiRequest request, String calendarId, String eventId, Identity identity) {
        CalendarService.GetResult result = service.get(service.resolveCalendarId(calendarId, identity), eventId,
                request.header("If-None-Match"));
        return result.notModified() ? new ApiResponse.Empty(304) : ApiResponse.ok(result.event());
    }

    ApiResponse update(ApiRequest request, String calendarId, String eventId, Identity identity) {
        int conferenceDataVersion = conferenceDataVersion(request);
        return ApiResponse.ok(service.update(service.resolveCalendarId(calendarId, identity), eventId, identity,
                request.jsonObject(), conferenceDataVersion, request.header("If-Match")));
    }

    ApiResponse patch(ApiRequest request, String calendarId, String eventId, Identity identity) {
        int conferenceDataVersion = conferenceDataVersion(request);
        return ApiResponse.ok(service.patch(service.resolveCalendarId(calendarId, identity), eventId, identity,
                request.jsonObject(), conferenceDataVersion, request.header("If-Match")));
    }

    ApiResponse delete(ApiRequest request, String calendarId, String eventId, Identity identity) {
        service.delete(service.resolveCalendarId(calendarId, identity), eventId, request.header("If-Match"));
        return ApiResponse.noContent();
    }

    /** 0 (default: conference data ignored) or 1 (conference data honoured). */
    private static int conferenceDataVersion(ApiRequest request) {
        String value = request.param("conferenceDataVersion").orElse("0").trim();
        return switch (value) {
            case "0" -> 0;
            case "1" -> 1;
            default -> throw GoogleApiError.invalidParameter("conferenceDataVersion",
                    "Invalid value '" + value + "'. Values must be within the range: [0, 1]");
        };
    }
}
