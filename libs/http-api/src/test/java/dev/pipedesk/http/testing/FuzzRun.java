package dev.pipedesk.http.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.core.Json;
import dev.pipedesk.http.ApiFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A fuzz test's run: a fixed number of requests from a {@link HostileInput} with a fixed seed,
 * sent through an {@link ApiFunction} as API Gateway invokes it, each answer held to the rules
 * every route keeps — never a 5xx, a 4xx is the JSON error shape and, given a digest of what the
 * routes may write, a 4xx writes nothing — and to the test's own rules. The same seed sends the
 * same requests, so a run cannot fail by chance; a failure names the attempt, the seed and the
 * request, and the run stops after ten.
 *
 * <pre>{@code
 * FuzzRun.Answers answers = new FuzzRun(SEED, TRIES)
 *         .unchangedByRefusals("crm_emails", this::digest)
 *         .afterAnswer((request, response) -> rememberIds(response))
 *         .run(api, hostile -> nextRequest(hostile));
 * answers.assertEveryRouteAcceptedAndRefused(ROUTES);
 * }</pre>
 */
public final class FuzzRun {
    /** What the routes may write, as one string: equal before and after means nothing was written. */
    @FunctionalInterface
    public interface Digest {
        String read() throws Exception;
    }

    /** A test's own rule: what is wrong with this answer, or null when nothing is. */
    @FunctionalInterface
    public interface Rule {
        String problemWith(ApiGatewayRequest request, APIGatewayV2HTTPResponse response) throws Exception;
    }

    private static final int MAX_FAILURES = 10;

    private final long seed;
    private final int tries;
    private Digest refusalsWrite;
    private String written;
    private Rule rule = (request, response) -> null;
    private BiConsumer<ApiGatewayRequest, APIGatewayV2HTTPResponse> afterAnswer = (request, response) -> {
    };

    public FuzzRun(long seed, int tries) {
        this.seed = seed;
        this.tries = tries;
    }

    /** Checks that a 4xx leaves {@code digest} (of {@code what}) as it was before the request. */
    public FuzzRun unchangedByRefusals(String what, Digest digest) {
        this.written = what;
        this.refusalsWrite = digest;
        return this;
    }

    /** Adds the test's own rule, checked after the error shape and before the digest. */
    public FuzzRun rule(Rule rule) {
        this.rule = rule;
        return this;
    }

    /** What the test learns from an answer that broke no rule (ids, cursors, ETags for later requests). */
    public FuzzRun afterAnswer(BiConsumer<ApiGatewayRequest, APIGatewayV2HTTPResponse> afterAnswer) {
        this.afterAnswer = afterAnswer;
        return this;
    }

    /** Sends the requests, asserts that none broke a rule, and returns how they were answered. */
    public Answers run(ApiFunction api, Function<HostileInput, ApiGatewayRequest> requests) throws Exception {
        HostileInput hostile = new HostileInput(seed);
        List<String> failures = new ArrayList<>();
        Map<String, Integer> answers = new TreeMap<>();
        for (int attempt = 1; attempt <= tries && failures.size() < MAX_FAILURES; attempt++) {
            ApiGatewayRequest request = requests.apply(hostile);
            String before = refusalsWrite == null ? null : refusalsWrite.read();

            APIGatewayV2HTTPResponse response = api.apply(request.toEvent());
            answers.merge(request.route() + " " + response.getStatusCode(), 1, Integer::sum);

            String problem = problemWith(request, response, before);
            if (problem != null) {
                failures.add("#" + attempt + " (seed " + seed + "): " + problem + "\n    " + request);
            } else {
                afterAnswer.accept(request, response);
            }
        }
        assertThat(failures).as("requests that broke a rule").isEmpty();
        return new Answers(answers);
    }

    private String problemWith(ApiGatewayRequest request, APIGatewayV2HTTPResponse response, String before)
            throws Exception {
        int status = response.getStatusCode();
        if (status >= 500) {
            return "answered " + status + " " + response.getBody();
        }
        if (status >= 400) {
            JsonNode body = Json.MAPPER.readTree(response.getBody());
            if (!body.at("/error/code").isString() || !body.at("/error/message").isString()) {
                return "answered " + status + " without the error shape: " + response.getBody();
            }
        }
        String problem = rule.problemWith(request, response);
        if (problem != null) {
            return problem;
        }
        if (status >= 400 && before != null && !refusalsWrite.read().equals(before)) {
            return "answered " + status + " after changing " + written;
        }
        return null;
    }

    /** How many requests each route answered with each status ({@code "GET /api/x 200"}). */
    public record Answers(Map<String, Integer> byRouteAndStatus) {

        /** Not vacuous: every route both accepted (2xx) and refused (4xx) some of the requests. */
        public void assertEveryRouteAcceptedAndRefused(List<ApiRoute> routes) {
            assertThat(routes).allSatisfy(route -> assertThat(byRouteAndStatus.keySet()).as("answers: %s", byRouteAndStatus)
                    .anyMatch(answer -> answer.startsWith(route + " 2"))
                    .anyMatch(answer -> answer.startsWith(route + " 4")));
        }

        /** The statuses answered, whatever the route. */
        public Map<Integer, Integer> byStatus() {
            Map<Integer, Integer> statuses = new TreeMap<>();
            byRouteAndStatus.forEach((answer, count) -> statuses.merge(
                    Integer.parseInt(answer.substring(answer.lastIndexOf(' ') + 1)), count, Integer::sum));
            return statuses;
        }
    }
}
