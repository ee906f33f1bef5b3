package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.Hashes;
import tools.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The parameters of one events.list call, validated the way Google validates them. */
record ListQuery(
        String syncToken,
        String pageToken,
        int maxResults,
        Instant timeMin,
        Instant timeMax,
        Instant updatedMin,
        Boolean showDeleted,
        boolean singleEvents,
        String orderBy,
        String q,
        String iCalUID,
        List<String[]> privateProperties,
        List<String[]> sharedProperties,
        List<String> eventTypes,
        String querySignature,
        String syncFilterSignature) {

    static final int DEFAULT_MAX_RESULTS = 250;
    static final int MAX_MAX_RESULTS = 2500;

    /** Parameters that cannot be combined with {@code syncToken} (sync guide). */
    static final List<String> FORBIDDEN_WITH_SYNC_TOKEN = List.of("iCalUID", "orderBy", "privateExtendedProperty",
            "q", "sharedExtendedProperty", "timeMin", "timeMax", "updatedMin");

    /** Parameters that do not change which events a query selects. */
    private static final Set<String> NOT_SELECTING = Set.of("pageToken", "maxResults", "alt", "fields",
            "prettyPrint", "quotaUser", "key", "userIp", "oauth_token", "access_token", "$.xgafv", "callback",
            "timeZone", "alwaysIncludeEmail", "maxAttendees");

    static ListQuery parse(ApiRequest request) {
        String syncToken = request.param("syncToken").filter(s -> !s.isEmpty()).orElse(null);
        if (syncToken != null) {
            for (String forbidden : FORBIDDEN_WITH_SYNC_TOKEN) {
                if (request.hasParam(forbidden)) {
                    throw GoogleApiError.invalidParameter(forbidden,
                            "The parameter " + forbidden + " cannot be used together with syncToken.");
                }
            }
        }
        Boolean showDeleted = request.param("showDeleted").map(ListQuery::bool).orElse(null);
        if (syncToken != null && Boolean.FALSE.equals(showDeleted)) {
            throw GoogleApiError.invalidParameter("showDeleted",
                    "Deleted events are always included with syncToken; showDeleted cannot be false.");
        }
        int maxResults = request.param("maxResults").map(ListQuery::maxResults).orElse(DEFAULT_MAX_RESULTS);
        Instant timeMin = request.param("timeMin").map(v -> rfc3339("timeMin", v)).orElse(null);
        Instant timeMax = request.param("timeMax").map(v -> rfc3339("timeMax", v)).orElse(null);
        if (timeMin != null && timeMax != null && !timeMax.isAfter(timeMin)) {
            throw GoogleApiError.timeRangeEmpty();
        }
        Instant updatedMin = request.param("updatedMin").map(v -> rfc3339("updatedMin", v)).orElse(null);
        boolean singleEvents = request.param("singleEvents").map(ListQuery::bool).orElse(false);
        String orderBy = request.param("orderBy").orElse(null);
        if (orderBy != null) {
            if (!orderBy.equals("startTime") && !orderBy.equals("updated")) {
                throw GoogleApiError.invalidParameter("orderBy", "Invalid value for orderBy: " + orderBy);
            }
            if (orderBy.equals("startTime") && !singleEvents) {
                throw GoogleApiError.invalidParameter("orderBy",
                        "The requested ordering is not available for the particular query.");
            }
        }
        List<String> eventTypes = request.params("eventTypes").stream().sorted().toList();
        return new ListQuery(
                syncToken,
                request.param("pageToken").filter(s -> !s.isEmpty()).orElse(null),
                maxResults,
                timeMin,
                timeMax,
                updatedMin,
                showDeleted,
                singleEvents,
                orderBy,
                request.param("q").filter(s -> !s.isBlank()).map(s -> s.toLowerCase(Locale.ROOT)).orElse(null),
                request.param("iCalUID").orElse(null),
                properties(request.params("privateExtendedProperty"), "privateExtendedProperty"),
                properties(request.params("sharedExtendedProperty"), "sharedExtendedProperty"),
                eventTypes,
                signature(request.query()),
                "singleEvents=" + singleEvents + "&eventTypes=" + String.join(",", eventTypes));
    }

    boolean includesCancelled() {
        return syncToken != null || updatedMin != null || Boolean.TRUE.equals(showDeleted);
    }

    boolean matches(StoredEvent event) {
        JsonNode resource = event.resource;
        if (event.cancelled() && !includesCancelled()) {
            return false;
        }
        if (!eventTypes.isEmpty()) {
            String type = EventJson.text(resource, "eventType");
            if (!eventTypes.contains(type == null ? "default" : type)) {
                return false;
            }
        }
        if (timeMin != null) {
            Instant end = EventJson.instantOrNull(resource, "end");
            if (end != null && !end.isAfter(timeMin)) {
                return false;
            }
        }
        if (timeMax != null) {
            Instant start = EventJson.instantOrNull(resource, "start");
            if (start != null && !start.isBefore(timeMax)) {
                return false;
            }
        }
        if (updatedMin != null && event.updated.isBefore(updatedMin)) {
            return false;
        }
        if (iCalUID != null && !iCalUID.equals(EventJson.text(resource, "iCalUID"))) {
            return false;
        }
        if (q != null && !searchText(resource).contains(q)) {
            return false;
        }
        return hasProperties(resource, "private", privateProperties)
                && hasProperties(resource, "shared", sharedProperties);
    }

    /** The primary ordering key: start time, last change, or insertion order. */
    long sortKey(StoredEvent event) {
        if ("startTime".equals(orderBy)) {
            Instant start = EventJson.instantOrNull(event.resource, "start");
            return start == null ? Long.MAX_VALUE : start.toEpochMilli();
        }
        if ("updated".equals(orderBy)) {
            return event.updated.toEpochMilli();
        }
        return event.insertOrder;
    }

    private static boolean hasProperties(JsonNode resource, String scope, List<String[]> wanted) {
        if (wanted.isEmpty()) {
            return true;
        }
        JsonNode stored = resource.path("extendedProperties").path(scope);
        for (String[] pair : wanted) {
            if (!pair[1].equals(EventJson.text(stored, pair[0]))) {
                return false;
            }
        }
        return true;
    }

    private static String searchText(JsonNode resource) {
        StringBuilder text = new StringBuilder();
        for (String field : List.of("summary", "description", "location")) {
            String value = EventJson.text(resource, field);
            if (value != null) {
                text.append(value).append('\n');
            }
        }
        for (JsonNode attendee : resource.path("attendees")) {
            String email = EventJson.text(attendee, "email");
            if (email != null) {
                text.append(email).append('\n');
            }
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }

    private static List<String[]> properties(List<String> values, String parameter) {
        return values.stream().map(value -> {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                throw GoogleApiError.invalidParameter(parameter,
                        "Invalid " + parameter + " value: expected propertyName=value.");
            }
            return new String[] {value.substring(0, eq), value.substring(eq + 1)};
        }).toList();
    }

    private static Instant rfc3339(String parameter, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            throw GoogleApiError.invalidParameter(parameter, "Bad Request");
        }
    }

    private static int maxResults(String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1) {
                throw GoogleApiError.invalidParameter("maxResults",
                        "Invalid value '" + value + "'. Values must be within the range: [1, 2500]");
            }
            return Math.min(parsed, MAX_MAX_RESULTS);
        } catch (NumberFormatException e) {
            throw GoogleApiError.invalidParameter("maxResults", "Invalid value '" + value + "'.");
        }
    }

    private static boolean bool(String value) {
        return Boolean.parseBoolean(value.trim());
    }

    /** A short hash of the selecting parameters: a page token is only valid for the same query. */
    private static String signature(Map<String, List<String>> query) {
        TreeMap<String, List<String>> selecting = new TreeMap<>();
        query.forEach((name, values) -> {
            if (!NOT_SELECTING.contains(name)) {
                selecting.put(name, values.stream().sorted().toList());
            }
        });
        return HexFormat.of().formatHex(Hashes.sha256(selecting.toString()), 0, 8);
    }
}
