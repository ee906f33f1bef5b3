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

        assertThat(event.get("version").asString()).isEqualTo("2.0");
        assertThat(event.get("routeKey").asString()).isEqualTo("PATCH /api/calendar/events/{id}");
        assertThat(event.get("rawPath").asString()).isEqualTo("/api/calendar/events/evt%20one");
        assertThat(event.get("rawQueryString").asString()).isEqualTo("a=1&b=x%20y&a=2&flag");
        assertThat(event.at("/queryStringParameters/a").asString()).isEqualTo("1,2");
        assertThat(event.at("/queryStringParameters/b").asString()).isEqualTo("x y");
        assertThat(event.at("/queryStringParameters/flag").asString()).isEmpty();
        assertThat(event.at("/headers/x-custom").asString()).isEqualTo("one,two");
        assertThat(event.at("/headers/content-type").asString()).isEqualTo("application/json");
        assertThat(event.at("/headers/authorization").asString()).isEqualTo("Bearer t0ken");
        assertThat(event.at("/headers/x-forwarded-for").asString()).isEqualTo("127.0.0.1");
        assertThat(event.at("/headers/x-forwarded-port").asString()).isEqualTo("3000");
        assertThat(event.at("/headers/x-amzn-trace-id").asString()).startsWith("Root=1-");
        assertThat(event.get("headers").has("cookie")).isFalse();
        assertThat(event.get("headers").properties()).allSatisfy(h -> assertThat(h.getKey()).isLowerCase());
        assertThat(event.get("cookies")).extracting(JsonNode::asString).containsExactly("session=abc", "theme=dark");
        assertThat(event.at("/pathParameters/id").asString()).isEqualTo("evt one");
        assertThat(event.get("body").asString()).isEqualTo("{\"summary\":\"Intro\"}");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();

        JsonNode context = event.get("requestContext");
        assertThat(context.get("accountId").asString()).isEqualTo(PayloadV2.ACCOUNT_ID);
        assertThat(context.get("apiId").asString()).isEqualTo(PayloadV2.API_ID);
        assertThat(context.get("domainName").asString()).isEqualTo("127.0.0.1");
        assertThat(context.get("requestId").asString()).isEqualTo("c0ffee00-1111-2222-3333-444455556666");
        assertThat(context.get("routeKey").asString()).isEqualTo("PATCH /api/calendar/events/{id}");
        assertThat(context.get("stage").asString()).isEqualTo("$default");
        assertThat(context.get("time").asString()).isEqualTo("12/Mar/2030:19:03:58 +0000");
        assertThat(context.get("timeEpoch").asLong()).isEqualTo(RECEIVED.toEpochMilli());
        assertThat(context.at("/http/method").asString()).isEqualTo("PATCH");
        assertThat(context.at("/http/path").asString()).isEqualTo("/api/calendar/events/evt one");
        assertThat(context.at("/http/protocol").asString()).isEqualTo("HTTP/1.1");
        assertThat(context.at("/http/sourceIp").asString()).isEqualTo("127.0.0.1");
        assertThat(context.at("/http/userAgent").asString()).isEqualTo("curl/8.5");
        assertThat(context.at("/authorizer/lambda/userId").asString()).isEqualTo("u-1");
        assertThat(context.at("/authorizer/lambda/role").asString()).isEqualTo("sales");
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
        assertThat(event.get("routeKey").asString()).isEqualTo("PATCH /api/calendar/events/{id}");
        assertThat(event.at("/pathParameters/id").asString()).isEqualTo("e1");
        assertThat(event.at("/queryStringParameters/x").asString()).isEqualTo("1");
        assertThat(event.at("/requestContext/http/method").asString()).isEqualTo("PATCH");
        assertThat(event.has("body")).isFalse();
    }
}
