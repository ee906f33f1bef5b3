package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorBody;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The control API over HTTP, under {@code /emulator/}: the same operations as
 * {@link EmulatorControl}. Errors use PipeDesk's {@code {"error":{"code","message","details"}}}.
 */
final class ControlHttpApi {

    record CountBody(Integer count) {
    }

    record FailBody(Integer count, Integer status, String reason, String message, String method, String path,
                    Long retryAfterSeconds) {
    }

    record DropBody(Integer count, String method, String path) {
    }

    record InvalidateBody(String token, String calendarId, Instant issuedBefore) {
    }

    record DelayBody(Long millis) {
    }

    record ConferenceModeBody(String mode, Integer pendingReads, String calendarId, Integer next) {
    }

    record SwitchesBody(Boolean meetRequiresDelegation, Boolean attendeesRequireDelegation,
                        Boolean forbidWritesToCancelledEvents, Boolean rejectReusedDeletedIds,
                        Boolean minimalTombstones) {
    }

    record EditBody(String actor, String summary, String description, String location, Instant start, Instant end,
                    String status, Map<String, String> attendeeResponses) {
    }

    record InsertBody(String actor, JsonNode event) {
    }

    /** One control endpoint as the index at {@code GET /emulator/} lists it. */
    record Endpoint(String method, String path, String description) {
    }

    /** The index at {@code GET /emulator/}. */
    record Index(String name, List<Endpoint> endpoints) {
    }

    /** What {@code GET /emulator/} answers: every control endpoint, so the banner's URL is a starting point. */
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/emulator/", "this index"),
            new Endpoint("POST", "/emulator/reset", "forget every event, channel, fault, call and delivery"),
            new Endpoint("POST", "/emulator/faults/fail", "fail the next calls: {count, status, reason, message, method, path}"),
            new Endpoint("POST", "/emulator/faults/drop-after-commit",
                    "commit the next calls but drop their responses: {count, method, path}"),
            new Endpoint("POST", "/emulator/faults/auth-error", "the next authenticated calls answer 401 authError: {count}"),
            new Endpoint("DELETE", "/emulator/faults", "clear every injected fault"),
            new Endpoint("POST", "/emulator/sync-tokens/invalidate", "invalidate sync tokens: {token | calendarId | issuedBefore}"),
            new Endpoint("POST", "/emulator/empty-pages", "the next lists answer an empty page with a nextPageToken: {count}"),
            new Endpoint("POST", "/emulator/push/delay", "delay push notifications: {millis}"),
            new Endpoint("POST", "/emulator/push/duplicate", "deliver the next notifications twice: {count}"),
            new Endpoint("POST", "/emulator/push/drop", "drop the next notifications: {count}"),
            new Endpoint("POST", "/emulator/push/deliver-after-stop", "channels stopped from now on get this many more notifications: {count}"),
            new Endpoint("GET", "/emulator/push/deliveries", "push delivery attempts (?channelId=)"),
            new Endpoint("GET", "/emulator/channels", "open notification channels"),
            new Endpoint("POST", "/emulator/conference-mode", "how Meet links are created: {mode, pendingReads, calendarId, next}"),
            new Endpoint("POST", "/emulator/switches", "Workspace behaviour switches (delegation, cancelled events, ids, tombstones)"),
            new Endpoint("GET", "/emulator/calls", "calls received (?method=&path=)"),
            new Endpoint("DELETE", "/emulator/calls", "forget the calls received"),
            new Endpoint("GET", "/emulator/calendars", "calendars that have been used"),
            new Endpoint("GET", "/emulator/calendars/{calendarId}/events", "every event of a calendar, cancelled ones included"),
            new Endpoint("POST", "/emulator/calendars/{calendarId}/events", "insert an event as another user: {actor, event}"),
            new Endpoint("GET", "/emulator/calendars/{calendarId}/events/{eventId}", "one event"),
            new Endpoint("POST", "/emulator/calendars/{calendarId}/events/{eventId}/edit",
                    "edit an event as another user: {actor, summary, description, location, start, end, status, attendeeResponses}"));

    private final EmulatorControl control;

    ControlHttpApi(EmulatorControl control) {
        this.control = control;
    }

    ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (ApiException e) {
            return error(e.errorCode(), e.getMessage());
        } catch (NoSuchElementException e) {
            return error(ErrorCode.NOT_FOUND, e.getMessage());
        } catch (IllegalArgumentException | JacksonException e) {
            return error(ErrorCode.BAD_REQUEST, e.getMessage());
        }
    }

    private ApiResponse route(ApiRequest request) {
        List<String> path = request.segments().subList(1, request.segments().size());
        String method = request.method();
        String route = method + " " + String.join("/", path);
        switch (route) {
            case "GET " -> {
                return json(new Index("Google Calendar emulator: control API", ENDPOINTS));
            }
            case "POST reset" -> control.reset();
            case "POST faults/fail" -> {
                FailBody body = body(request, FailBody.class);
                if (body.status() == null) {
                    throw ApiException.validation("status", "status is required");
                }
                control.failNext(count(body.count()), CallMatcher.of(body.method(), body.path()), body.status(),
                        body.reason(), body.message(),
                        body.retryAfterSeconds() == null ? null : Duration.ofSeconds(body.retryAfterSeconds()));
            }
            case "POST faults/drop-after-commit" -> {
                DropBody body = body(request, DropBody.class);
                control.dropResponseAfterCommit(count(body.count()), CallMatcher.of(body.method(), body.path()));
            }
            case "POST faults/auth-error" -> control.failNextAuth(count(body(request, CountBody.class).count()));
            case "POST tokens/revoke" -> control.revokeAccessTokens();
            case "DELETE faults" -> control.clearFaults();
            case "POST sync-tokens/invalidate" -> {
                InvalidateBody body = body(request, InvalidateBody.class);
                if (body.token() != null) {
                    if (!control.invalidateSyncToken(body.token())) {
                        throw ApiException.badRequest("Not a sync token of this emulator.");
                    }
                } else if (body.calendarId() != null) {
                    control.invalidateSyncTokens(body.calendarId());
                } else if (body.issuedBefore() != null) {
                    control.invalidateSyncTokensIssuedBefore(body.issuedBefore());
                } else {
                    throw ApiException.badRequest("Give one of token, calendarId or issuedBefore.");
                }
            }
            case "POST empty-pages" -> control.injectEmptyPages(count(body(request, CountBody.class).count()));
            case "POST push/delay" -> {
                Long millis = body(request, DelayBody.class).millis();
                control.delayPush(Duration.ofMillis(millis == null ? 0 : millis));
            }
            case "POST push/duplicate" -> control.duplicateNextPush(count(body(request, CountBody.class).count()));
            case "POST push/drop" -> control.dropNextPush(count(body(request, CountBody.class).count()));
            case "POST push/deliver-after-stop" -> control.deliverAfterStop(count(body(request, CountBody.class).count()));
            case "GET push/deliveries" -> {
                return json(request.param("channelId").map(control::deliveryAttempts)
                        .orElseGet(control::deliveryAttempts));
            }
            case "GET channels" -> {
                return json(control.channels());
            }
            case "POST conference-mode" -> setConferenceMode(body(request, ConferenceModeBody.class));
            case "POST switches" -> setSwitches(body(request, SwitchesBody.class));
            case "GET calls" -> {
                String pattern = request.param("path").orElse(null);
                return json(control.calls(request.param("method").orElse(null), pattern));
            }
            case "DELETE calls" -> control.clearCalls();
            case "GET calendars" -> {
                return json(control.calendarIds());
            }
            default -> {
                return calendarRoute(request, method, path);
            }
        }
        return ApiResponse.noContent();
    }

    /** {@code calendars/{calendarId}/events[/{eventId}[/edit]]}. */
    private ApiResponse calendarRoute(ApiRequest request, String method, List<String> path) {
        if (path.size() < 3 || !path.get(0).equals("calendars") || !path.get(2).equals("events")) {
            throw ApiException.notFound("No control endpoint " + method + " /emulator/" + String.join("/", path));
        }
        String calendarId = path.get(1);
        if (path.size() == 3 && method.equals("GET")) {
            return json(control.events(calendarId));
        }
        if (path.size() == 3 && method.equals("POST")) {
            InsertBody body = body(request, InsertBody.class);
            if (body.actor() == null || body.event() == null) {
                throw ApiException.badRequest("actor and event are required.");
            }
            return new ApiResponse.Json(200, control.insertAsUser(calendarId, body.actor(), body.event()), Map.of());
        }
        if (path.size() == 4 && method.equals("GET")) {
            return control.event(calendarId, path.get(3)).map(ApiResponse::ok)
                    .orElseThrow(() -> ApiException.notFound("No event " + path.get(3) + " in " + calendarId));
        }
        if (path.size() == 5 && path.get(4).equals("edit") && method.equals("POST")) {
            EditBody body = body(request, EditBody.class);
            ExternalEdit edit = new ExternalEdit(body.actor(), body.summary(), body.description(), body.location(),
                    body.start(), body.end(), body.status(), body.attendeeResponses());
            return ApiResponse.ok(control.editAsUser(calendarId, path.get(3), edit));
        }
        throw ApiException.notFound("No control endpoint " + method + " /emulator/" + String.join("/", path));
    }

    private void setConferenceMode(ConferenceModeBody body) {
        ConferenceMode mode = ConferenceMode.parse(body.mode(), body.pendingReads() == null ? 1 : body.pendingReads());
        if (body.next() != null) {
            control.setConferenceModeForNext(body.next(), mode);
        } else if (body.calendarId() != null) {
            control.setConferenceMode(body.calendarId(), mode);
        } else {
            control.setConferenceMode(mode);
        }
    }

    private void setSwitches(SwitchesBody body) {
        if (body.meetRequiresDelegation() != null) {
            control.requireDelegationForMeet(body.meetRequiresDelegation());
        }
        if (body.attendeesRequireDelegation() != null) {
            control.requireDelegationForAttendees(body.attendeesRequireDelegation());
        }
        if (body.forbidWritesToCancelledEvents() != null) {
            control.forbidWritesToCancelledEvents(body.forbidWritesToCancelledEvents());
        }
        if (body.rejectReusedDeletedIds() != null) {
            control.rejectReusedDeletedIds(body.rejectReusedDeletedIds());
        }
        if (body.minimalTombstones() != null) {
            control.minimalTombstones(body.minimalTombstones());
        }
    }

    private static int count(Integer count) {
        return count == null ? 1 : count;
    }

    private static <T> T body(ApiRequest request, Class<T> type) {
        String text = request.bodyText();
        return Json.read(text.isBlank() ? "{}" : text, type);
    }

    private static ApiResponse json(Object value) {
        return ApiResponse.ok(Json.MAPPER.valueToTree(value));
    }

    private static ApiResponse error(ErrorCode code, String message) {
        return new ApiResponse.Json(code.status(), Json.MAPPER.valueToTree(ErrorBody.of(code, message)), Map.of());
    }
}
