package dev.pipedesk.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.pipedesk.core.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.pipedesk.local.testing.JsonAssertions.assertTextsAt;
import static org.assertj.core.api.Assertions.assertThat;

class PayloadV2Test {
    private static final Instant RECEIVED = Instant.parse("2030-03-12T19:03:58.390Z");
    private static final Route EVENT_BY_ID = Route.authorized("PATCH", "/api/calendar/events/{id}", "calendar");

    private static GatewayRequest request(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                                          byte[] body) {
        return new GatewayRequest(method, rawPath, rawQuery, headers, body, "127.0.0.1", "HTTP/1.1",
                "c0ffee00-1111-2222-3333-444455556666", RECEIVED);
    }

    private static RouteTable.Found match(GatewayRequest request) {
        return (RouteTable.Found) new RouteTable(List.of(EVENT_BY_ID)).match(request.methodUpper(), request.rawPath());
    }

    private static JsonNode json(Map<String, Object> event) {
        return Json.MAPPER.readTree(Json.write(event));
    }

    @Test
    void mapsAnHttpRequestToThePayloadV2EventApiGatewaySends() {
        GatewayRequest request = request("PATCH", "/api/calendar/events/evt%20one", "a=1&b=x%20y&a=2&flag",
                List.of(Map.entry("Host", "127.0.0.1:3000"),
                        Map.entry("Content-Type", "application/json"),
                        Map.entry("User-Agent", "curl/8.5"),
                        Map.entry("X-Custom", "one"),
                        Map.entry("x-custom", "two"),
                        Map.entry("Cookie", "session=abc; theme=dark"),
                        Map.entry("Authorization", "Bearer t0ken")),
                "{\"summary\":\"Intro\"}".getBytes(StandardCharsets.UTF_8));

        JsonNode event = json(PayloadV2.integrationEvent(request, match(request),
                Map.of("userId", "u-1", "role", "sales"), 3000));

        assertTextsAt(event,
                "/version", "2.0",
                "/routeKey", "PATCH /api/calendar/events/{id}",
                "/rawPath", "/api/calendar/events/evt%20one",
                "/rawQueryString", "a=1&b=x%20y&a=2&flag",
                "/queryStringParameters/a", "1,2",
                "/queryStringParameters/b", "x y");
        assertThat(event.at("/queryStringParameters/flag").asString()).isEmpty();
        assertTextsAt(event,
                "/headers/x-custom", "one,two",
                "/headers/content-type", "application/json",
                "/headers/authorization", "Bearer t0ken",
                "/headers/x-forwarded-for", "127.0.0.1",
                "/headers/x-forwarded-port", "3000");
        assertThat(event.at("/headers/x-amzn-trace-id").asString()).startsWith("Root=1-");
        assertThat(event.get("headers").has("cookie")).isFalse();
        assertThat(event.get("headers").properties()).allSatisfy(h -> assertThat(h.getKey()).isLowerCase());
        assertThat(event.get("cookies")).extracting(JsonNode::asString).containsExactly("session=abc", "theme=dark");
        assertThat(event.at("/pathParameters/id").asString()).isEqualTo("evt one");
        assertThat(event.get("body").asString()).isEqualTo("{\"summary\":\"Intro\"}");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();

        JsonNode context = event.get("requestContext");
        assertTextsAt(context,
                "/accountId", PayloadV2.ACCOUNT_ID,
                "/apiId", PayloadV2.API_ID,
                "/domainName", "127.0.0.1",
                "/requestId", "c0ffee00-1111-2222-3333-444455556666",
                "/routeKey", "PATCH /api/calendar/events/{id}",
                "/stage", "$default",
                "/time", "12/Mar/2030:19:03:58 +0000");
        assertThat(context.get("timeEpoch").asLong()).isEqualTo(RECEIVED.toEpochMilli());
        assertTextsAt(context,
                "/http/method", "PATCH",
                "/http/path", "/api/calendar/events/evt one",
                "/http/protocol", "HTTP/1.1",
                "/http/sourceIp", "127.0.0.1",
                "/http/userAgent", "curl/8.5",
                "/authorizer/lambda/userId", "u-1",
                "/authorizer/lambda/role", "sales");
    }

    @Test
    void bindsToTheAwsEventTypeTheFunctionsDeclare() {
        GatewayRequest request = request("PATCH", "/api/calendar/events/e1", "limit=5",
                List.of(Map.entry("Content-Type", "application/json; charset=utf-8"), Map.entry("Host", "localhost:3000")),
                "{}".getBytes(StandardCharsets.UTF_8));

        APIGatewayV2HTTPEvent event = Json.MAPPER.readValue(Json.write(PayloadV2.integrationEvent(request, match(request),
                Map.of("userId", "u-9", "email", "u9@pipedesk.local", "role", "admin"), 3000)), APIGatewayV2HTTPEvent.class);

        assertThat(event.getRawPath()).isEqualTo("/api/calendar/events/e1");
        assertThat(event.getPathParameters()).containsEntry("id", "e1");
        assertThat(event.getQueryStringParameters()).containsEntry("limit", "5");
        assertThat(event.getHeaders()).containsEntry("content-type", "application/json; charset=utf-8");
        assertThat(event.getBody()).isEqualTo("{}");
        assertThat(event.getIsBase64Encoded()).isFalse();
        assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("PATCH");
        assertThat(event.getRequestContext().getRequestId()).isEqualTo("c0ffee00-1111-2222-3333-444455556666");
        assertThat(event.getRequestContext().getAuthorizer().getLambda())
                .containsEntry("userId", "u-9").containsEntry("role", "admin");
    }

    @Test
    void base64EncodesBodiesThatAreNotText() {
        byte[] binary = {0, (byte) 0xff, 0x10, 0x7f};
        GatewayRequest upload = request("PATCH", "/api/calendar/events/e1", null,
                List.of(Map.entry("Content-Type", "application/octet-stream")), binary);
        GatewayRequest form = request("PATCH", "/api/calendar/events/e1", null,
                List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")), "a=1".getBytes(StandardCharsets.UTF_8));

        JsonNode uploadEvent = json(PayloadV2.integrationEvent(upload, match(upload), null, 3000));
        JsonNode formEvent = json(PayloadV2.integrationEvent(form, match(form), null, 3000));

        assertThat(uploadEvent.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(uploadEvent.get("body").asString())).isEqualTo(binary);
        assertThat(formEvent.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(new String(Base64.getDecoder().decode(formEvent.get("body").asString()), StandardCharsets.UTF_8))
                .isEqualTo("a=1");
    }

    @Test
    void passesATextBodyThatIsNotUtf8Base64EncodedWithItsBytesUnchanged() {
        byte[] latin1 = "{\"summary\":\"Caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        GatewayRequest request = request("PATCH", "/api/calendar/events/e1", null,
                List.of(Map.entry("Content-Type", "application/json")), latin1);

        JsonNode event = json(PayloadV2.integrationEvent(request, match(request), null, 3000));

        assertThat(event.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(event.get("body").asString())).isEqualTo(latin1);
    }

    @Test
    void leavesOutWhatTheRequestDoesNotHave() {
        GatewayRequest bare = request("PATCH", "/api/calendar/events/e1", null, List.of(), new byte[0]);

        JsonNode event = json(PayloadV2.integrationEvent(bare, match(bare), null, 3000));

        assertThat(event.get("rawQueryString").asString()).isEmpty();
        assertThat(event.has("queryStringParameters")).isFalse();
        assertThat(event.has("cookies")).isFalse();
        assertThat(event.has("body")).isFalse();
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(event.at("/requestContext/authorizer").isMissingNode()).isTrue();
    }

    @Test
    void buildsTheRequestAuthorizerEventWithTheAuthorizationHeaderAsIdentitySource() {
        GatewayRequest request = request("PATCH", "/api/calendar/events/e1", "x=1",
                List.of(Map.entry("Authorization", "Bearer abc"), Map.entry("Host", "127.0.0.1:3000")),
                "{\"secret\":1}".getBytes(StandardCharsets.UTF_8));

        JsonNode event = json(PayloadV2.authorizerEvent(request, match(request), "Bearer abc", 3000));

        assertThat(event.get("version").asString()).isEqualTo("2.0");
        assertThat(event.get("type").asString()).isEqualTo("REQUEST");
        assertThat(event.get("routeArn").asString())
                .isEqualTo("arn:aws:execute-api:us-east-1:000000000000:local/$default/PATCH/api/calendar/events/e1");
        assertThat(event.get("identitySource")).extracting(JsonNode::asString).containsExactly("Bearer abc");
        assertTextsAt(event,
                "/routeKey", "PATCH /api/calendar/events/{id}",
                "/pathParameters/id", "e1",
                "/queryStringParameters/x", "1",
                "/requestContext/http/method", "PATCH");
        assertThat(event.has("body")).isFalse();
    }
}
