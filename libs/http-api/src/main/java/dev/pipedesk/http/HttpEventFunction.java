package dev.pipedesk.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.core.metrics.OperatorMetric;
import dev.pipedesk.lambda.EventReader;
import dev.pipedesk.lambda.LambdaShell;
import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every HTTP API function (payload 2.0) does around its own {@link #handle}: the raw event in
 * (read by {@link EventReader}; why: {@code docs/architecture.md}, "Lambda shells"; an unreadable
 * one is 400), the request decoded (an undecodable body is the {@link ApiException} it raises),
 * the response out. Each 429 (a rate limit's answer) counts as
 * {@link OperatorMetric#REQUESTS_RATE_LIMITED}.
 */
public abstract class HttpEventFunction extends LambdaShell<APIGatewayV2HTTPResponse> {
    private static final int TOO_MANY_REQUESTS = 429;

    private final EventReader<APIGatewayV2HTTPEvent> events;
    private final EmfMetrics metrics;

    /** @param log where an unreadable event is reported */
    protected HttpEventFunction(Logger log) {
        this(log, null);
    }

    /**
     * @param log     where an unreadable event is reported
     * @param metrics where the 429s are counted, published at the end of each invocation (or null)
     */
    protected HttpEventFunction(Logger log, EmfMetrics metrics) {
        super(metrics);
        this.events = new EventReader<>(APIGatewayV2HTTPEvent.class, log, Level.WARNING, "Unreadable API Gateway event");
        this.metrics = metrics;
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
        if (response.status() == TOO_MANY_REQUESTS && metrics != null) {
            metrics.count(OperatorMetric.REQUESTS_RATE_LIMITED, 1);
        }
        return ApiGatewayEvents.toResponse(response);
    }

    /** The response to one request; every failure already turned into the JSON error shape. */
    public abstract HttpResponse handle(HttpRequest request);
}
