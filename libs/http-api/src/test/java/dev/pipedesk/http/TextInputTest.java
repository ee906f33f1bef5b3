package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextInputTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "Discovery call", "tabs\tand\nnewlines", "Café ☕", "\uD834\uDD1E clef", "\uFFFD"})
    void ordinaryTextHasNoProblem(String text) {
        assertThat(TextInput.problem(text)).isEmpty();
    }

    @Test
    void nullHasNoProblem() {
        assertThat(TextInput.problem(null)).isEmpty();
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
}
