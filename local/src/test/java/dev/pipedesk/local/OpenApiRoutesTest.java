package dev.pipedesk.local;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.local.testing.OpenApiContract;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/api/openapi.yaml declares exactly the routes of the route table, local-only ones marked as such. */
class OpenApiRoutesTest {

    @Test
    void theSpecDeclaresExactlyTheRouteTablesRoutesWithTheirLocalOnlyFlags() {
        var fromTable = Arrays.stream(ApiRoute.values())
                .map(route -> new OpenApiContract.Operation(route.method(), route.pathTemplate(), route.localOnly()))
                .toList();

        assertThat(OpenApiContract.ofThisCheckout().operations())
                .as("paths x methods of docs/api/openapi.yaml (x-local-only included) vs ApiRoute")
                .containsExactlyInAnyOrderElementsOf(fromTable);
    }
}
