package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.Attendee;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/** The attendees column read in one streaming pass: what Jackson's data binding of {@link Attendee} reads. */
class StoredAttendeesTest {
    private static final TypeReference<List<Attendee>> BOUND = new TypeReference<>() { };

    @Test
    void readsBackWhatItWrote() {
        List<Attendee> attendees = List.of(
                new Attendee("owner@pipedesk.dev", "accepted", "Ada \"The Countess\" Lovelace", true, false),
                new Attendee("guest@partner.example", "needsAction", null, false, true),
                new Attendee("ünïcødé@example.com", null, "名前 \\ \n\t", false, false),
                new Attendee(null, "declined", "", true, true));

        String stored = StoredAttendees.write(attendees);

        assertThat(stored).isEqualTo(Json.write(attendees));
        assertThat(StoredAttendees.read(stored)).isEqualTo(attendees);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[]",
            // jsonb orders keys by length, then bytes: not the record's order
            "[{\"email\": \"a@x.example\", \"optional\": true, \"organizer\": true, \"displayName\": \"A\", \"responseStatus\": \"tentative\"}]",
            "[{\"email\": null, \"responseStatus\": null, \"displayName\": null, \"organizer\": false, \"optional\": false}]",
            // fields it does not know, of any shape, are skipped (an older or newer writer)
            "[{\"self\": true, \"comment\": \"hi\", \"resource\": {\"id\": [1, {\"x\": null}]}, \"email\": \"b@x.example\","
                    + " \"organizer\": false, \"extra\": [[]], \"optional\": true, \"additionalGuests\": 2}]",
            "[{\"email\": \"a@x.example\", \"organizer\": true, \"optional\": false},"
                    + " {\"email\": \"\\u00e9\\\"q\\\\\", \"organizer\": false, \"optional\": true}]"})
    void readsWhatDataBindingReads(String column) {
        assertThat(StoredAttendees.read(column)).isEqualTo(Json.MAPPER.readValue(column, BOUND));
    }

    @Test
    void takesAnAbsentOrNullFieldAsNullAndAnAbsentOrNullFlagAsFalse() {
        // Data binding refuses a missing or null flag (a primitive); the repository always writes both.
        assertThat(StoredAttendees.read("[{}, {\"email\": \"a@x.example\", \"organizer\": null, \"optional\": null}]"))
                .containsExactly(new Attendee(null, null, null, false, false),
                        new Attendee("a@x.example", null, null, false, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "null", "[1]", "[[]]", "[{\"email\": 5}]", "[{\"organizer\": \"yes\"}]", "[{\"email\": \"a\"}", "["})
    void refusesWhatTheRepositoryNeverWrites(String column) {
        assertThatThrownBy(() -> StoredAttendees.read(column)).isInstanceOf(JacksonException.class);
    }
}
