package dev.pipedesk.local.calendar;

import static dev.pipedesk.local.calendar.CalendarTestSupport.EVENTS;
import static dev.pipedesk.local.calendar.CalendarTestSupport.meeting;
import static dev.pipedesk.local.calendar.CalendarTestSupport.slot;
import static dev.pipedesk.local.calendar.CalendarTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.TokenIssuer;
import dev.pipedesk.local.testing.Api;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** Who may do what: 401 for missing or bad tokens, 403 by role and ownership, redaction for clients. */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class CalendarAccessTest {

    private final Api api = LocalStackExtension.api();

    private JsonNode createdBy(String userId) {
        ApiResponse created = api.as(Role.SALES, userId).post(EVENTS, meeting(unique("Owned"), slot()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    @Test
    void noTokenIs401() {
        ApiResponse response = api.anonymous().get(EVENTS);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).contains("unauthorized");
    }

    /** The token with one bit of its signature flipped: always a different, invalid signature. */
    private static String withTamperedSignature(String token) {
        int dot = token.lastIndexOf('.');
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        signature[0] ^= 1;
        return token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    @Test
    void garbageForgedTamperedAndExpiredTokensAre401() {
        JwtSettings stackSettings = api.stack().jwtSettings();
        JwtSettings anotherKey = new JwtSettings(List.of(new JwtSettings.Hs256Secret("not-the-stack-secret-0123456789abcdef")),
                stackSettings.issuer(), stackSettings.audience(), stackSettings.leeway(), stackSettings.roleClaimPaths());
        String forged = new TokenIssuer(anotherKey).issue("x", "x@pipedesk.local", "admin", Duration.ofMinutes(10));
        String tampered = withTamperedSignature(api.stack().token(Role.ADMIN, "x"));
        String expired = new TokenIssuer(stackSettings, Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))
                .issue("x", "x@pipedesk.local", "admin", Duration.ofMinutes(10));
        for (String header : new String[] {"Bearer garbage", "Bearer " + forged, "Bearer " + tampered, "Bearer " + expired,
                "Basic YWxhZGRpbjpvcGVu"}) {
            ApiResponse response = api.withAuthorization(header).get(EVENTS);
            assertThat(response.status()).as(header).isEqualTo(401);
            assertThat(response.errorCode()).contains("unauthorized");
        }
    }

    @Test
    void aTokenWithoutAnAppRoleIs403() {
        String noRole = api.stack().token("authenticated", "someone", "someone@pipedesk.local", Duration.ofMinutes(5));
        ApiResponse response = api.withAuthorization("Bearer " + noRole).get(EVENTS);
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errorCode()).contains("forbidden");
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"VIEWER", "CLIENT"})
    void readOnlyRolesCannotCreate(Role role) {
        ApiResponse response = api.as(role, "reader").post(EVENTS, meeting(unique("Nope"), slot()));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errorCode()).contains("forbidden");
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"CLIENT", "VIEWER", "SALES", "MANAGER", "ADMIN"})
    void everyRoleCanRead(Role role) {
        assertThat(api.as(role, "reader").get(EVENTS).status()).isEqualTo(200);
    }

    @Test
    void salesMayChangeOnlyTheirOwnMeetings() {
        JsonNode theirs = createdBy("owner-sales");
        String path = EVENTS + "/" + theirs.path("id").asString();

        ApiResponse otherPatch = api.as(Role.SALES, "other-sales").patch(path, Map.of("summary", "Hijack"));
        ApiResponse otherDelete = api.as(Role.SALES, "other-sales").delete(path);
        ApiResponse viewerPatch = api.as(Role.VIEWER, "viewer").patch(path, Map.of("summary", "Hijack"));
        ApiResponse ownerPatch = api.as(Role.SALES, "owner-sales").patch(path, Map.of("summary", "Mine"));

        assertThat(otherPatch.status()).isEqualTo(403);
        assertThat(otherDelete.status()).isEqualTo(403);
        assertThat(viewerPatch.status()).isEqualTo(403);
        assertThat(ownerPatch.status()).isEqualTo(200);
        assertThat(api.as(Role.VIEWER, "viewer").get(path).json().path("status").asString()).isEqualTo("confirmed");
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"MANAGER", "ADMIN"})
    void managersAndAdminsMayChangeAnyMeeting(Role role) {
        JsonNode theirs = createdBy("someone-else");
        String path = EVENTS + "/" + theirs.path("id").asString();

        assertThat(api.as(role, "boss").patch(path, Map.of("summary", "Moved by " + role)).status()).isEqualTo(200);
        assertThat(api.as(role, "boss").delete(path).status()).isEqualTo(200);
    }

    @Test
    void clientsSeeMeetingsRedacted() {
        JsonNode created = createdBy("redaction-owner");
        String path = EVENTS + "/" + created.path("id").asString();

        // An attendee of the meeting (meeting() invites buyer@example.com): a client sees only those.
        JsonNode asClient = api.as(Role.CLIENT, "external", "buyer@example.com").get(path).json();
        JsonNode asViewer = api.as(Role.VIEWER, "internal").get(path).json();

        assertThat(asViewer.path("description").asString()).isNotBlank();
        assertThat(asViewer.path("meet_link").asString()).startsWith("https://");
        assertThat(asViewer.path("attendees")).isNotEmpty();
        assertThat(asClient.path("summary").asString()).isEqualTo(created.path("summary").asString());
        assertThat(asClient.path("description").isNull()).isTrue();
        assertThat(asClient.path("meet_link").isNull()).isTrue();
        assertThat(asClient.path("attendees")).isEmpty();
    }

    @Test
    void identityHeadersFromTheClientAreIgnored() {
        JsonNode created = api.as(Role.SALES, "real-user")
                .header("x-user-id", "forged-user").header("x-user-role", "admin")
                .post(EVENTS, meeting(unique("Forged headers"), slot())).json();
        assertThat(created.path("created_by").asString()).isEqualTo("real-user");

        ApiResponse viewerWithForgedRole = api.as(Role.VIEWER, "viewer").header("x-user-role", "admin")
                .post(EVENTS, meeting(unique("Forged role"), slot()));
        assertThat(viewerWithForgedRole.status()).isEqualTo(403);
    }

    @Test
    void theChannelRoutesAreAdminOnly() {
        assertThat(api.as(Role.MANAGER, "m").post("/api/calendar/watch", Map.of()).status()).isEqualTo(403);
        assertThat(api.as(Role.MANAGER, "m").get("/api/calendar/channels").status()).isEqualTo(403);
        ApiResponse admin = api.as(Role.ADMIN, "a").post("/api/calendar/watch",
                Map.of("calendar_id", "not-a-synced-calendar@example.com"));
        assertThat(admin.status()).isEqualTo(422);
        assertThat(admin.errorCode()).contains("validation_failed");
    }

    @Test
    void bearerTokensNeverReachTheFunctionLogs() throws Exception {
        String token = api.stack().token(Role.SALES, "log-check");
        ApiResponse created = api.withAuthorization("Bearer " + token).post(EVENTS, meeting(unique("Logged?"), slot()));
        assertThat(created.status()).isEqualTo(201);
        api.withAuthorization("Bearer " + token).get(EVENTS);

        for (String function : new String[] {"calendar", "authorizer"}) {
            java.nio.file.Path log = api.stack().logFile(function).orElseThrow();
            String text = java.nio.file.Files.readString(log);
            assertThat(text).as(function + " log").isNotEmpty();
            assertThat(text).as(function + " log").doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
    }

    @Test
    void anArrayBodyCannotSmuggleForgedRequests() {
        JsonNode owned = createdBy("smuggle-owner");
        String id = owned.path("id").asString();
        String forged = """
                [{"version":"2.0","routeKey":"DELETE /api/calendar/events/{id}","rawPath":"/api/calendar/events/%s",
                  "pathParameters":{"id":"%s"},
                  "requestContext":{"http":{"method":"DELETE","path":"/api/calendar/events/%s"},
                    "authorizer":{"lambda":{"userId":"forger","role":"admin"}}}}]""".formatted(id, id, id);

        ApiResponse response = api.as(Role.VIEWER, "smuggler").send("GET", EVENTS + "/" + id, forged);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().isObject()).isTrue();
        assertThat(api.as(Role.VIEWER, "smuggler").get(EVENTS + "/" + id).json().path("status").asString())
                .isEqualTo("confirmed");
    }
}
