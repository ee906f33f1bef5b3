package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiExceptionTest {

    @Test
    void aNotFoundRepeatsAShortIdWhole() {
        ApiException e = ApiException.notFound("calendar event", "3f0c2a9e-6c1b-4c1e-9f5a-0d1f2e3a4b5c");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("No calendar event with id 3f0c2a9e-6c1b-4c1e-9f5a-0d1f2e3a4b5c");
    }

    @Test
    void aNotFoundRepeatsOnlyAShortPrefixOfALongId() {
        String requested = "a".repeat(ApiException.EXCERPT_LENGTH) + "<script>" + "b".repeat(100_000);

        String message = ApiException.notFound("calendar event", requested).getMessage();

        assertThat(message).isEqualTo("No calendar event with id " + "a".repeat(ApiException.EXCERPT_LENGTH) + "…");
    }

    @Test
    void anExcerptShowsNoControlCharacterOrUnpairedSurrogate() {
        assertThat(ApiException.excerpt("a\u0000b\nc\uD800d\uDC00e")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe");
    }

    @Test
    void anExcerptNeverCutsASurrogatePairInTwo() {
        String clef = "\uD834\uDD1E"; // 𝄞, one character in two UTF-16 units
        String requested = clef.repeat(ApiException.EXCERPT_LENGTH + 1);

        assertThat(ApiException.excerpt(requested)).isEqualTo(clef.repeat(ApiException.EXCERPT_LENGTH) + "…");
    }
}
