package dev.pipedesk.emulator.calendar;

import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import dev.pipedesk.core.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class AuthTest extends EmulatorTestSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aDelegatedSubjectIsTheOrganizerAndOwnsPrimary() throws Exception {
        Calendar asAlice = client(emulator, "alice@acme.test");

        Event created = asAlice.events().insert("primary", meeting("Alice's meeting")).execute();

        assertThat(created.getOrganizer().getEmail()).isEqualTo("alice@acme.test");
        assertThat(created.getCreator().getEmail()).isEqualTo("alice@acme.test");
        assertThat(control().calendarIds()).containsExactly("alice@acme.test");
        assertThat(calendar.events().get("alice@acme.test", created.getId()).execute().getSummary())
                .isEqualTo("Alice's meeting");
    }

    @Test
    void tokenEndpointAnswersTheOAuthShape() throws Exception {
        HttpResponse<String> response = tokenFor("{\"iss\":\"robot@p.iam.gserviceaccount.com\",\"sub\":\"bob@acme.test\","
                + "\"aud\":\"" + emulator.tokenUri() + "\",\"scope\":\"https://www.googleapis.com/auth/calendar\"}");
        JsonNode token = Json.MAPPER.readTree(response.body());
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                        emulator.rootUrl().resolve("calendar/v3/calendars/primary/events"))
                .header("Authorization", "Bearer " + token.get("access_token").asString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"summary\":\"raw\",\"start\":{\"date\":\"2026-05-01\"},"
                        + "\"end\":{\"date\":\"2026-05-02\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(token.get("expires_in").asInt()).isEqualTo(3599);
        assertThat(token.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(Json.MAPPER.readTree(created.body()).path("organizer").path("email").asString())
                .isEqualTo("bob@acme.test");
    }

    @Test
    void anotherGrantTypeIsRejected() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(emulator.tokenUri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=x"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(response.body()).get("error").asString()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void anInjected401MakesTheClientRefreshItsTokenAndRetry() throws Exception {
        Calendar fresh = client(emulator, null);
        fresh.events().list("primary").execute();
        control().failNextAuth(1);

        Event created = fresh.events().insert("primary", meeting("After refresh")).execute();

        assertThat(created.getSummary()).isEqualTo("After refresh");
        assertThat(control().calls("POST", "^/token$")).hasSize(2);
        assertThat(control().calls("POST", "/events$")).extracting(ReceivedCall::status).containsExactly(401, 200);
    }

    @Test
    void aCallWithoutBearerTokenIsUnauthorized() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        emulator.rootUrl().resolve("calendar/v3/calendars/primary/events")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        assertThat(Json.MAPPER.readTree(response.body()).at("/error/errors/0/location").asString())
                .isEqualTo("Authorization");
    }

    @Test
    void onlyIssuedTokensCanBeRequired() throws Exception {
        try (GoogleCalendarEmulator strict = GoogleCalendarEmulator.start(
                EmulatorOptions.defaults().withAcceptOnlyIssuedTokens(true))) {
            HttpResponse<String> forged = HTTP.send(HttpRequest.newBuilder(
                            strict.rootUrl().resolve("calendar/v3/calendars/primary/events"))
                    .header("Authorization", "Bearer forged").GET().build(), HttpResponse.BodyHandlers.ofString());
            int issued = client(strict, null).events().list("primary").executeUnparsed().getStatusCode();

            assertThat(forged.statusCode()).isEqualTo(401);
            assertThat(Json.MAPPER.readTree(forged.body()).at("/error/errors/0/reason").asString()).isEqualTo("authError");
            assertThat(issued).isEqualTo(200);
        }
    }

    @Test
    void aRevokedTokenIs401EvenWhereUnknownTokensPassAndANewTokenWorks() throws Exception {
        String revokedToken = newAccessToken();
        control().revokeAccessTokens();

        HttpResponse<String> withRevoked = listWith(revokedToken);
        HttpResponse<String> withNew = listWith(newAccessToken());

        assertThat(withRevoked.statusCode()).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(withRevoked.body()).at("/error/errors/0/reason").asString()).isEqualTo("authError");
        assertThat(withRevoked.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("invalid_token"));
        assertThat(withNew.statusCode()).isEqualTo(200);
    }

    @Test
    void aResetForgetsRevocations() throws Exception {
        String token = newAccessToken();
        control().revokeAccessTokens();

        control().reset();

        assertThat(listWith(token).statusCode()).isEqualTo(200);
    }

    private static String newAccessToken() throws Exception {
        HttpResponse<String> response = tokenFor(
                "{\"iss\":\"robot@p.iam.gserviceaccount.com\",\"aud\":\"" + emulator.tokenUri() + "\"}");
        return Json.MAPPER.readTree(response.body()).get("access_token").asString();
    }

    /** The token endpoint's answer to a JWT-bearer grant whose assertion carries these claims (unsigned). */
    private static HttpResponse<String> tokenFor(String claims) throws Exception {
        String assertion = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(claims) + ".c2lnbmF0dXJl";
        return HTTP.send(HttpRequest.newBuilder(emulator.tokenUri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> listWith(String accessToken) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(emulator.rootUrl().resolve("calendar/v3/calendars/primary/events"))
                .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
