package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

class JsonTextTest {

    @Test
    void isWrittenAsItsOwnTextUnparsed() {
        // jsonb's own spacing, a number beyond a double's precision: the text goes out as it came
        String stored = "{\"amount\": 12345678901234567890.125, \"tags\": [\"a\", \"b\"]}";

        assertThat(Json.write(Map.of("after", JsonText.ofStored(stored)))).isEqualTo("{\"after\":" + stored + "}");
    }

    @Test
    void isParsedOnlyWhenReadAsATreeAndThenOnce() {
        JsonText malformed = JsonText.ofStored("{\"summary\": ");
        JsonText snapshot = JsonText.ofStored("{\"summary\": \"Kickoff\"}");

        assertThat(malformed.json()).isEqualTo("{\"summary\": ");
        assertThatThrownBy(malformed::tree).isInstanceOf(JacksonException.class);
        assertThat(snapshot.tree().path("summary").asString()).isEqualTo("Kickoff");
        assertThat(snapshot.tree()).isSameAs(snapshot.tree());
    }

    @Test
    void readsOneFieldOfAnObjectWithoutTheRestOfIt() {
        // Only the text up to the field is read: what follows it may even be cut off.
        JsonText meeting = JsonText.ofStored("{\"id\": \"m-1\", \"status\": \"confirmed\", \"summary\": \"Kickoff\", \"attendees\": [{");

        assertThat(meeting.isObject()).isTrue();
        assertThat(meeting.field("summary").asString()).isEqualTo("Kickoff");
        assertThat(meeting.field("status").asString()).isEqualTo("confirmed");
    }

    @Test
    void aFieldIsItsValueWholeOrNullWhenAbsentOrTheValueIsNoObject() {
        JsonText snapshot = JsonText.ofStored("{\"attendees\": [{\"email\": \"a@x.example\"}], \"name\": null, \"n\": {\"deep\": [1, 2]}}");

        assertThat(snapshot.field("attendees")).isEqualTo(Json.MAPPER.readTree("[{\"email\": \"a@x.example\"}]"));
        assertThat(snapshot.field("n")).isEqualTo(Json.MAPPER.readTree("{\"deep\": [1, 2]}"));
        assertThat(snapshot.field("name").isNull()).isTrue();
        assertThat(snapshot.field("summary")).isNull();
        assertThat(JsonText.ofStored(" [{\"summary\": \"x\"}]").field("summary")).isNull();
        assertThat(JsonText.ofStored(" [{\"summary\": \"x\"}]").isObject()).isFalse();
        assertThat(JsonText.ofStored("null").field("summary")).isNull();
        assertThat(JsonText.ofStored(" \n{}").isObject()).isTrue();
    }

    @Test
    void namesTheFieldsOfAnObjectInItsOrder() {
        JsonText changes = JsonText.ofStored("{\"stage\": {\"old\": \"new\", \"new\": \"won\"}, \"amount\": {\"old\": [1, {}], \"new\": null}}");

        assertThat(changes.fieldNames()).containsExactly("stage", "amount");
        changes.tree();
        assertThat(changes.fieldNames()).containsExactly("stage", "amount");
        assertThat(JsonText.ofStored("[\"stage\"]").fieldNames()).isEmpty();
        assertThat(JsonText.ofStored("null").fieldNames()).isEmpty();
    }

    @Test
    void aFieldReadAfterTheTreeComesFromTheTree() {
        JsonText snapshot = JsonText.ofStored("{\"summary\": \"Kickoff\"}");
        JsonNode tree = snapshot.tree();

        assertThat(snapshot.field("summary")).isSameAs(tree.get("summary"));
    }

    @Test
    void nullIsNullAndEqualTextsAreEqual() {
        assertThat(JsonText.ofStored(null)).isNull();
        assertThat(JsonText.ofStored("[1, 2]")).isEqualTo(JsonText.ofStored("[1, 2]")).hasSameHashCodeAs(JsonText.ofStored("[1, 2]"))
                .isNotEqualTo(JsonText.ofStored("[1,2]"));
    }
}
