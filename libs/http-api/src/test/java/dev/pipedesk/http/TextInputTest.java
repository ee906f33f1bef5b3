package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.FieldError;
import dev.pipedesk.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextInputTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "Discovery call", "tabs\tand\nnewlines", "Café ☕", "\uD834\uDD1E clef", "\uFFFD"})
    @NullSource
    void ordinaryTextAndNullHaveNoProblem(String text) {
        assertThat(TextInput.problem(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "Demo\u0000", "\u0000Demo", "a\u0000b"})
    void aNulAnywhereIsRefused(String text) {
        assertThat(TextInput.problem(text)).contains(TextInput.NUL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "x\uD83D", "\uDE00x", "\uDE00\uD83D", "ok \uD834\uDD1E then \uDC00"})
    void anUnpairedSurrogateAnywhereIsRefused(String text) {
        assertThat(TextInput.problem(text)).contains(TextInput.UNPAIRED_SURROGATE);
    }

    @Test
    void everyBrokenStringOfABodyIsNamedByItsPath() {
        var body = Json.parseBody("""
                {"summary":"ok","notes":"\\u0000","attendees":["a@example.com",{"email":"\\uDC00"}],"deep":[[{"x":"\\u0000"}]]}""");

        assertThat(TextInput.problems(body)).containsExactly(
                new FieldError("notes", TextInput.NUL),
                new FieldError("attendees[1].email", TextInput.UNPAIRED_SURROGATE),
                new FieldError("deep[0][0].x", TextInput.NUL));
    }

    @Test
    void aBodyFullOfBrokenStringsGetsABoundedAnswer() {
        var body = Json.parseBody("[" + "\"\\u0000\",".repeat(10_000) + "\"\\u0000\"]");

        assertThat(TextInput.problems(body)).hasSize(TextInput.MAX_REPORTED);
    }
}
