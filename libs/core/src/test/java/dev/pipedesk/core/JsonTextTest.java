package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class JsonTextTest {

    @Test
    void isWrittenAsItsOwnTextUnparsed() {
        // jsonb's own spacing, a number beyond a double's precision: the text goes out as it came
        String stored = "{\"amount\": 12345678901234567890.125, \"tags\": [\"a\", \"b\"]}";

        assertThat(Json.write(Map.of("after", JsonText.of(stored)))).isEqualTo("{\"after\":" + stored + "}");
    }

    @Test
    void isParsedOnlyWhenReadAsATreeAndThenOnce() {
        JsonText malformed = JsonText.of("{\"summary\": ");
        JsonText snapshot = JsonText.of("{\"summary\": \"Kickoff\"}");

        assertThat(malformed.json()).isEqualTo("{\"summary\": ");
        assertThatThrownBy(malformed::tree).isInstanceOf(JacksonException.class);
        assertThat(snapshot.tree().path("summary").asString()).isEqualTo("Kickoff");
        assertThat(snapshot.tree()).isSameAs(snapshot.tree());
    }

    @Test
    void nullIsNullAndEqualTextsAreEqual() {
        assertThat(JsonText.of(null)).isNull();
        assertThat(JsonText.of("[1, 2]")).isEqualTo(JsonText.of("[1, 2]")).hasSameHashCodeAs(JsonText.of("[1, 2]"))
                .isNotEqualTo(JsonText.of("[1,2]"));
    }
}
