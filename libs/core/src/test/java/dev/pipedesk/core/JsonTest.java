package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class JsonTest {

    private static ApiException refusal(String body) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> Json.parseBody(body));
        assertThat(e).as("a refused body").isNotNull();
        assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST);
        return e;
    }

    @Test
    void aBodyNestedBeyondTheParsersLimitIsABadRequestThatSaysSo() {
        int limit = Json.maxNestingDepth();
        String tooDeep = "[".repeat(limit + 1) + "]".repeat(limit + 1);

        assertThat(refusal(tooDeep).getMessage())
                .isEqualTo("The request body is nested deeper than " + limit + " levels, the JSON parser's limit.");
    }

    @Test
    void aBodyNestedExactlyToTheLimitIsRead() {
        int limit = Json.maxNestingDepth();

        assertThat(Json.parseBody("[".repeat(limit) + "]".repeat(limit)).isArray()).isTrue();
    }

    @Test
    void aNumberBeyondTheParsersLimitIsNotCalledInvalidJson() {
        assertThat(refusal("{\"n\":" + "9".repeat(5_000) + "}").getMessage())
                .isEqualTo("The request body exceeds a limit of the JSON parser (a number or a string is too long).");
    }

    @Test
    void malformedJsonIsABadRequestWithAFixedMessage() {
        assertThat(refusal("{\"summary\": ").getMessage()).isEqualTo("The request body is not valid JSON.");
    }
}
