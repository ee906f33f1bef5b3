package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.core.Json;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiFunctionTest {

    @Test
    void aBodyThatIsNotUtf8IsAnsweredWith400AndNeverReachesTheHandler() {
        AtomicInteger handled = new AtomicInteger();
        ApiFunction function = new ApiFunction(RoutePolicy.standard(), (request, caller) -> {
            handled.incrementAndGet();
            return HttpResponse.ok(null);
        });
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRouteKey("POST /api/calendar/events")
                .withRawPath("/api/calendar/events")
                .withBody(Base64.getEncoder().encodeToString(new byte[] {'{', '"', (byte) 0xC3, '"', '}'}))
                .withIsBase64Encoded(true)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withLambda(new Principal("u-1", null, Role.SALES).toAuthorizerContext())
                                .build())
                        .build())
                .build();

        APIGatewayV2HTTPResponse response = function.apply(event);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(response.getBody()).at("/error/code").asString()).isEqualTo("bad_request");
        assertThat(handled).hasValue(0);
    }
}
