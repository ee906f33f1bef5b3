package dev.pipedesk.postgres;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.Attendee;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;

/**
 * {@code calendar_events.attendees}: the meeting's attendees as the repository writes them (Jackson's
 * JSON of {@link Attendee}: {@code email}, {@code responseStatus}, {@code displayName},
 * {@code organizer}, {@code optional}), read in one streaming pass. Every meeting a list or a
 * timeline page shows is read through here, so it skips what data binding does per object
 * (finding the record's creator, buffering its properties). It reads what the repository writes
 * as binding did: the fields in any order, other fields skipped whatever their shape. It differs
 * from binding only on what the repository never writes (the column's only writer, since V1):
 * an absent or null flag is false (binding refused it), and a value of another JSON type, or a
 * column that is no array, is an error (binding coerced a number into a string, read {@code null}
 * as no list).
 */
final class StoredAttendees {

    private StoredAttendees() {
    }

    /** The column's JSON as written by {@link #write}. */
    static List<Attendee> read(String json) {
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new StreamReadException(parser, "attendees: a JSON array expected");
            }
            List<Attendee> attendees = new ArrayList<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token != JsonToken.START_OBJECT) {
                    throw new StreamReadException(parser, "attendees: a JSON object expected, not " + token);
                }
                attendees.add(attendee(parser));
            }
            return attendees;
        }
    }

    /** The attendees as the column holds them. */
    static String write(List<Attendee> attendees) {
        return Json.write(attendees);
    }

    private static Attendee attendee(JsonParser parser) {
        String email = null;
        String responseStatus = null;
        String displayName = null;
        boolean organizer = false;
        boolean optional = false;
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "email" -> email = text(parser, value);
                case "responseStatus" -> responseStatus = text(parser, value);
                case "displayName" -> displayName = text(parser, value);
                case "organizer" -> organizer = flag(parser, value);
                case "optional" -> optional = flag(parser, value);
                default -> parser.skipChildren();
            }
        }
        return new Attendee(email, responseStatus, displayName, organizer, optional);
    }

    private static String text(JsonParser parser, JsonToken value) {
        return switch (value) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> parser.getString();
            default -> throw new StreamReadException(parser, "attendees: a string or null expected, not " + value);
        };
    }

    private static boolean flag(JsonParser parser, JsonToken value) {
        return switch (value) {
            case VALUE_NULL, VALUE_FALSE -> false;
            case VALUE_TRUE -> true;
            default -> throw new StreamReadException(parser, "attendees: true, false or null expected, not " + value);
        };
    }
}
