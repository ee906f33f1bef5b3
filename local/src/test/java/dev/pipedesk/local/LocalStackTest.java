package dev.pipedesk.local;

import dev.pipedesk.auth.Role;
import dev.pipedesk.local.testing.Api;
import dev.pipedesk.local.testing.ApiResponse;
import dev.pipedesk.local.testing.LocalStackExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.pipedesk.local.testing.JsonAssertions.assertTextsAt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole local stack end to end: embedded PostgreSQL, emulator, the real authorizer (and the
 * calendar function when it is built) in child JVMs, and the gateway in front.
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class LocalStackTest {

    @Test
    void runsTheAuthorizerAndReportsHealthy(Api api, LocalStack stack) {
        ApiResponse health = api.anonymous().get("/health");

        assertThat(stack.runningFunctions()).contains("authorizer");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        assertTextsAt(health.json(),
                "/status", "ok",
                "/components/database", "up",
                "/components/google-calendar-emulator", "up",
                "/components/function:authorizer", "up",
                "/components/sqs", "up");
    }

    @Test
    void theBannerShowsTheSqsEndpointAndBothQueueUrls(LocalStack stack) {
        String banner = Banner.ready(stack, 1_000);

        assertThat(banner)
                .contains(stack.sqs().endpoint().toString())
                .contains(stack.sqs().auditQueueUrl())
                .contains(stack.sqs().deadLetterQueueUrl() + "  (after 5 receives)");
    }

    @Test
    void theBannerShowsTheJwksTheKeyAndHowToGetMoreTokens(LocalStack stack) {
        String banner = Banner.ready(stack, 1_000);

        assertThat(banner)
                .contains(stack.jwksUrl().toString())
                .contains("local/target/local-jwt/es256-private.jwk.json")
                .contains("kid " + stack.signingKeyId())
                .contains("iss pipedesk-local, aud authenticated")
                .contains("Bearer tokens (HS256, valid 12 h; LOCAL_JWT_ALG=ES256 for the other kind")
                .contains("./pipedesk token --role <role>");
    }

    @Test
    void theBannerShowsDynamoDbAndTheRateLimit(LocalStack stack) {
        assertThat(Banner.ready(stack, 1_000)).contains(stack.dynamoDb().endpoint() + "  (emulator, table pipedesk-rate-limits:"
                + " rate limit 600 requests/user/minute)");
    }

    @Test
    void migratesTheDatabase(LocalStack stack) throws Exception {
        DataSource dataSource = stack.dataSource();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet applied = statement.executeQuery("select count(*) from flyway_schema_history where success")) {
            applied.next();
            assertThat(applied.getInt(1)).isPositive();
        }
    }

    @Test
    void answers401WithoutAToken(Api api) {
        ApiResponse response = api.anonymous().get("/api/calendar/events");

        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.errorCode()).hasValue("unauthorized");
        assertThat(response.header("content-type")).hasValue("application/json");
    }

    @Test
    void answers401ToAGarbageOrForeignToken(Api api) {
        ApiResponse garbage = api.withAuthorization("Bearer not-a-jwt").get("/api/calendar/events");
        String foreign = new dev.pipedesk.auth.TokenIssuer(dev.pipedesk.auth.JwtSettings.hs256(
                "some-other-secret-that-is-long-enough-0123456789")).issue("u-1", null, "admin", Duration.ofMinutes(5));
        ApiResponse forged = api.withAuthorization("Bearer " + foreign).get("/api/calendar/events");

        assertThat(garbage.status()).as(garbage.toString()).isEqualTo(401);
        assertThat(garbage.errorCode()).hasValue("unauthorized");
        assertThat(forged.status()).as(forged.toString()).isEqualTo(401);
        assertThat(forged.errorCode()).hasValue("unauthorized");
    }

    @Test
    void answers403ToATokenWithoutAnApplicationRole(Api api, LocalStack stack) {
        String token = stack.token("authenticated", "u-2", "u2@pipedesk.local", Duration.ofMinutes(5));

        ApiResponse response = api.withAuthorization("Bearer " + token).get("/api/calendar/events");

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.errorCode()).hasValue("forbidden");
    }

    @Test
    void aValidTokenReachesTheFunction(Api api) {
        LocalStackExtension.requireFunction("calendar");

        ApiResponse response = api.as(Role.VIEWER, "local-viewer").get("/api/calendar/events");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().isObject() || response.json().isArray()).isTrue();
    }

    @Test
    void servesTheOpenApiDocumentWhenTheCheckoutHasOne(Api api, LocalStack stack) {
        boolean present = Files.isRegularFile(stack.repoRoot().resolve("docs/api/openapi.yaml"));

        ApiResponse response = api.anonymous().get("/openapi.yaml");

        assertThat(response.status()).as(response.toString()).isEqualTo(present ? 200 : 404);
    }

    @Test
    void theBannerNamesTheApiReferencePageAndTheStackServesIt(Api api, LocalStack stack) {
        assertThat(Banner.ready(stack, 1_000)).contains(stack.apiBaseUrl() + "/docs  (Swagger UI in a browser)");

        ApiResponse response = api.anonymous().get("/docs");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body()).contains("/docs/assets/swagger-ui-bundle.js");
    }

    @Test
    void noTokenReachesAnyLog(Api api, LocalStack stack) throws Exception {
        String token = stack.token(Role.ADMIN, "log-check");
        api.withAuthorization("Bearer " + token).get("/api/calendar/events");
        api.withAuthorization("Bearer " + token).get("/api/calendar/events/does-not-exist");

        Path logDir = stack.logFile("gateway").orElseThrow().getParent();
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> files = Files.list(logDir)) {
            files.filter(p -> p.toString().endsWith(".log")).forEach(logs::add);
        }
        assertThat(logs).isNotEmpty();
        String signature = token.substring(token.lastIndexOf('.') + 1);
        for (Path log : logs) {
            assertThat(Files.readString(log)).as(log.toString()).doesNotContain(signature);
        }
    }
}
