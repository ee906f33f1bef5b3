package dev.pipedesk.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.lambda.EventReader;
import java.io.InputStream;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every HTTP API function (payload 2.0) does around its own {@link #handle}: the raw event in
 * (read by {@link EventReader}; why: {@code docs/architecture.md}, "Lambda shells"; an unreadable
 * one is 400), the request decoded (an undecodable body is the {@link ApiException} it raises),
 * the response out.
 */
public abstract class HttpEventFunction implements Function<InputStream, APIGatewayV2HTTPResponse> {
    private final EventReader<APIGatewayV2HTTPEvent> events;

    /** @param log where an unreadable event is reported */
    protected HttpEventFunction(Logger log) {
        this.events = new EventReader<>(APIGatewayV2HTTPEvent.class, log, Level.WARNING, "Unreadable API Gateway event");
    }

    @Override
    public final APIGatewayV2HTTPResponse apply(InputStream rawEvent) {
        return events.read(rawEvent).map(this::apply).orElseGet(() ->
                ApiGatewayEvents.toResponse(HttpResponse.error(ApiException.badRequest("The request could not be read."))));
    }

    public final APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        HttpResponse response;
        try {
            response = handle(ApiGatewayEvents.toRequest(event));
        } catch (ApiException unreadableBody) {
            response = HttpResponse.error(unreadableBody);
        }
        return ApiGatewayEvents.toResponse(response);
    }

    /** The response to one request; every failure already turned into the JSON error shape. */
    public abstract HttpResponse handle(HttpRequest request);
}
