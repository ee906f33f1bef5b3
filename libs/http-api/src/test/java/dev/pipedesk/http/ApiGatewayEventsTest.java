package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ApiGatewayEventsTest {

    private static APIGatewayV2HTTPEvent withBody(String body, boolean base64) {
        return withBody("POST /api/calendar/events", body, base64);
    }

    private static APIGatewayV2HTTPEvent withBody(String routeKey, String body, boolean base64) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(routeKey)
                .withRawPath("/api/calendar/events")
                .withBody(body)
                .withIsBase64Encoded(base64)
                .build();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static ApiException refusal(APIGatewayV2HTTPEvent event) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> ApiGatewayEvents.toRequest(event));
        assertThat(e).as("a refused body").isNotNull();
        assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST);
        return e;
    }

    @Test
    void aBase64BodyIsDecodedAsUtf8() {
        String body = "{\"summary\":\"Café ☕ \uD834\uDD1E\"}";

        assertThat(ApiGatewayEvents.toRequest(withBody(base64(body.getBytes(StandardCharsets.UTF_8)), true)).body())
                .isEqualTo(body);
    }

    @Test
    void aBase64BodyThatIsNotUtf8IsABadRequestInsteadOfReplacementCharacters() {
        byte[] latin1 = "{\"summary\":\"Caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(refusal(withBody(base64(latin1), true)).getMessage()).isEqualTo("The request body is not valid UTF-8.");
    }

    @Test
    void anEncodedSurrogateIsNotUtf8() {
        byte[] cesu = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};

        assertThat(refusal(withBody(base64(cesu), true)).getMessage()).isEqualTo("The request body is not valid UTF-8.");
    }

    @Test
    void aBodyThatIsNotBase64IsABadRequest() {
        assertThat(refusal(withBody("not base64!", true)).getMessage()).isEqualTo("The request body could not be read.");
    }

    @Test
    void aTextBodyIsTakenAsItIs() {
        assertThat(ApiGatewayEvents.toRequest(withBody("{\"a\":1}", false)).body()).isEqualTo("{\"a\":1}");
    }

    @Test
    void theBodyOfAGetOrDeleteIsNotReadSoItCannotFailTheRequest() {
        String notUtf8 = base64(new byte[] {(byte) 0xFF, (byte) 0xFE});

        assertThat(ApiGatewayEvents.toRequest(withBody("GET /api/audit-logs", notUtf8, true)).body()).isNull();
        assertThat(ApiGatewayEvents.toRequest(withBody("DELETE /api/calendar/events/{id}", "{}", false)).body()).isNull();
        assertThat(ApiGatewayEvents.toRequest(withBody("PATCH /api/calendar/events/{id}", "{}", false)).body()).isEqualTo("{}");
    }
}
