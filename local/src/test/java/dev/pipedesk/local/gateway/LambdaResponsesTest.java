package dev.pipedesk.local.gateway;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LambdaResponsesTest {

    @Test
    void turnsAStructuredResponseIntoHttp() throws Exception {
        HttpResult result = LambdaResponses.toHttp("""
                {"statusCode":201,"headers":{"Content-Type":"application/json","ETag":"\\"3\\"","Content-Length":"999"},
                 "multiValueHeaders":{"Vary":["Origin","Accept"]},
                 "cookies":["a=1; Path=/","b=2"],
                 "body":"{\\"id\\":\\"e1\\"}","isBase64Encoded":false}
                """);

        assertThat(result.status()).isEqualTo(201);
        assertThat(result.bodyText()).isEqualTo("{\"id\":\"e1\"}");
        assertThat(result.headers()).contains(Map.entry("content-type", "application/json"), Map.entry("etag", "\"3\""),
                Map.entry("vary", "Origin"), Map.entry("vary", "Accept"),
                Map.entry("set-cookie", "a=1; Path=/"), Map.entry("set-cookie", "b=2"));
        assertThat(result.headers()).extracting(Map.Entry::getKey).doesNotContain("content-length");
    }

    @Test
    void decodesBase64Bodies() throws Exception {
        HttpResult result = LambdaResponses.toHttp("{\"statusCode\":200,\"body\":\"AP8Q\",\"isBase64Encoded\":true}");

        assertThat(result.body()).containsExactly(0, 0xff, 0x10);
    }

    @Test
    void infersA200JsonResponseFromOutputWithoutStatusCode() throws Exception {
        HttpResult result = LambdaResponses.toHttp("{\"plain\":true}");

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.headers()).contains(Map.entry("content-type", "application/json"));
        assertThat(new String(result.body(), StandardCharsets.UTF_8)).isEqualTo("{\"plain\":true}");
    }

    @Test
    void rejectsOutputThatIsNoHttpResponse() {
        assertThatThrownBy(() -> LambdaResponses.toHttp("not json")).isInstanceOf(LambdaResponses.MalformedResponse.class);
        assertThatThrownBy(() -> LambdaResponses.toHttp("{\"statusCode\":42}")).isInstanceOf(LambdaResponses.MalformedResponse.class);
    }

    @Test
    void readsTheAuthorizersVerdict() throws Exception {
        assertThat(LambdaResponses.toVerdict("{\"isAuthorized\":true,\"context\":{\"userId\":\"u\",\"role\":\"admin\"}}"))
                .isEqualTo(new LambdaResponses.Allowed(Map.of("userId", "u", "role", "admin")));
        assertThat(LambdaResponses.toVerdict(
                "{\"isAuthorized\":false,\"context\":{\"status\":401,\"code\":\"unauthorized\",\"message\":\"Expired.\"}}"))
                .isEqualTo(new LambdaResponses.Denied(401, "unauthorized", "Expired."));
        assertThat(LambdaResponses.toVerdict("{\"isAuthorized\":false}"))
                .isEqualTo(new LambdaResponses.Denied(403, "forbidden", "Forbidden"));
        assertThatThrownBy(() -> LambdaResponses.toVerdict("{\"allow\":true}"))
                .isInstanceOf(LambdaResponses.MalformedResponse.class);
    }
}
