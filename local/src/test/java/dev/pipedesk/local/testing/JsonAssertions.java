package dev.pipedesk.local.testing;

import org.assertj.core.api.SoftAssertions;
import tools.jackson.databind.JsonNode;

/** Assertions on JSON trees (events, answers) that name each field by its JSON pointer. */
public final class JsonAssertions {
    private JsonAssertions() {
    }

    /**
     * Asserts the text at each JSON pointer, given as pairs: {@code "/version", "2.0", "/http/method", "PATCH"}.
     * Reports every mismatch at once.
     */
    public static void assertTextsAt(JsonNode node, String... pointerThenText) {
        if (pointerThenText.length % 2 != 0) {
            throw new IllegalArgumentException("pointers and texts come in pairs");
        }
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < pointerThenText.length; i += 2) {
            String pointer = pointerThenText[i];
            softly.assertThat(node.at(pointer).asString()).as(pointer).isEqualTo(pointerThenText[i + 1]);
        }
        softly.assertAll();
    }
}
