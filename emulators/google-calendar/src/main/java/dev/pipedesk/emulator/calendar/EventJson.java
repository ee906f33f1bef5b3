package dev.pipedesk.emulator.calendar;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import dev.pipedesk.core.Json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** JSON helpers for the Event resource: field access, times, patch semantics, field order. */
final class EventJson {

    /** Fields the server owns: ignored when a client sends them. */
    static final Set<String> READ_ONLY = Set.of("kind", "etag", "id", "htmlLink", "created", "updated",
            "creator", "organizer", "hangoutLink", "conferenceData", "iCalUID");

    /** Objects a patch replaces whole instead of merging (a merged start could hold both date and dateTime). */
    private static final Set<String> REPLACED_BY_PATCH = Set.of("start", "end", "originalStartTime");

    /** Google's field order; anything else follows in the order it was written. */
    private static final List<String> ORDER = List.of("kind", "etag", "id", "status", "htmlLink", "created",
            "updated", "summary", "description", "location", "colorId", "creator", "organizer", "start", "end",
            "endTimeUnspecified", "recurrence", "recurringEventId", "originalStartTime", "transparency",
            "visibility", "iCalUID", "sequence", "attendees", "guestsCanInviteOthers", "guestsCanModify",
            "guestsCanSeeOtherGuests", "privateCopy", "extendedProperties", "hangoutLink", "conferenceData",
            "reminders", "eventType");

    record EventTime(Instant instant, boolean allDay) {
    }

    private EventJson() {
    }

    /** A scalar field as text, or null when absent or JSON null. */
    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainer() ? null : value.asString();
    }

    /** The client's fields without the server-owned ones. */
    static ObjectNode writableFields(ObjectNode body) {
        ObjectNode copy = body.deepCopy();
        copy.remove(READ_ONLY);
        return copy;
    }

    /**
     * Google's patch semantics: sent fields overwrite, nested objects merge, arrays replace,
     * JSON null removes a field.
     */
    static void mergePatch(ObjectNode target, ObjectNode patch) {
        for (var entry : patch.properties()) {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && !REPLACED_BY_PATCH.contains(name)
                    && target.get(name) instanceof ObjectNode existing) {
                mergePatch(existing, (ObjectNode) value);
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }

    /** A copy of {@code resource} with the fields in Google's order. */
    static ObjectNode canonical(ObjectNode resource) {
        ObjectNode ordered = Json.MAPPER.createObjectNode();
        for (String name : ORDER) {
            JsonNode value = resource.get(name);
            if (value != null) {
                ordered.set(name, value);
            }
        }
        for (var entry : resource.properties()) {
            if (!ordered.has(entry.getKey())) {
                ordered.set(entry.getKey(), entry.getValue());
            }
        }
        return ordered;
    }

    /** Checks start and end the way events.insert/update do. */
    static void validateTimes(ObjectNode resource) {
        JsonNode endNode = resource.get("end");
        JsonNode startNode = resource.get("start");
        if (endNode == null || endNode.isNull()) {
            throw GoogleApiError.required("Missing end time.");
        }
        if (startNode == null || startNode.isNull()) {
            throw GoogleApiError.required("Missing start time.");
        }
        EventTime start = eventTime(startNode, "start");
        EventTime end = eventTime(endNode, "end");
        if (start.allDay() != end.allDay()) {
            throw GoogleApiError.invalid("Start and end times must either both be date or both be dateTime.");
        }
        if (end.instant().isBefore(start.instant())) {
            throw GoogleApiError.of(400, "calendar", "timeRangeEmpty", "The specified time range is empty.");
        }
    }

    /** Parses {@code {"dateTime":…,"timeZone":…}} or {@code {"date":…}}; 400 when it is neither. */
    static EventTime eventTime(JsonNode node, String which) {
        if (!node.isObject()) {
            throw GoogleApiError.invalid("Invalid " + which + " time.");
        }
        String dateTime = text(node, "dateTime");
        String date = text(node, "date");
        String timeZone = text(node, "timeZone");
        if (dateTime != null && date != null) {
            throw GoogleApiError.invalid("Start and end times must either both be date or both be dateTime.");
        }
        try {
            if (dateTime != null) {
                try {
                    return new EventTime(OffsetDateTime.parse(dateTime).toInstant(), false);
                } catch (DateTimeException noOffset) {
                    if (timeZone == null) {
                        throw GoogleApiError.invalid("Missing time zone definition for " + which + " time.");
                    }
                    return new EventTime(LocalDateTime.parse(dateTime).atZone(ZoneId.of(timeZone)).toInstant(), false);
                }
            }
            if (date != null) {
                return new EventTime(LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant(), true);
            }
        } catch (DateTimeException e) {
            throw GoogleApiError.invalid("Invalid " + which + " time.");
        }
        throw GoogleApiError.required("Missing " + which + " time.");
    }

    /** The instant of {@code start}/{@code end}, or null when missing or unreadable. */
    static Instant instantOrNull(JsonNode resource, String which) {
        JsonNode node = resource.get(which);
        if (node == null || !node.isObject()) {
            return null;
        }
        try {
            return eventTime(node, which).instant();
        } catch (GoogleApiError e) {
            return null;
        }
    }

    /** Whether the change is one Google bumps {@code sequence} for: start, end, location, recurrence. */
    static boolean significantChange(ObjectNode before, ObjectNode after) {
        return !Objects.equals(instantOrNull(before, "start"), instantOrNull(after, "start"))
                || !Objects.equals(instantOrNull(before, "end"), instantOrNull(after, "end"))
                || !Objects.equals(text(before, "location"), text(after, "location"))
                || !Objects.equals(before.get("recurrence"), after.get("recurrence"));
    }
}
