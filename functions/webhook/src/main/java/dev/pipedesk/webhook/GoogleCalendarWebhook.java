package dev.pipedesk.webhook;

import dev.pipedesk.auth.ApiRoute;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.metrics.EmfMetrics;
import dev.pipedesk.http.HttpEventFunction;
import dev.pipedesk.http.HttpRequest;
import dev.pipedesk.http.HttpResponse;
import dev.pipedesk.lambda.EventReader;
import dev.pipedesk.state.RateLimitDecision;
import dev.pipedesk.state.RateLimitSubject;
import dev.pipedesk.state.RateLimiter;
import dev.pipedesk.sync.NotificationGate;
import dev.pipedesk.sync.PushNotification;
import dev.pipedesk.sync.Verdict;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shell of the Google Calendar webhook ({@code POST /webhooks/google-calendar}, payload 2.0,
 * no Lambda authorizer: each channel's token authenticates its notifications). The raw event in
 * (read by {@link EventReader}, like every shell), the {@code X-Goog-*} headers to the
 * {@link NotificationGate}, its verdict out as the answer:
 * <ul>
 *   <li>ignored, acknowledged, enqueued → 200 {@code {"result": "..."}};</li>
 *   <li>malformed → 400, no token → 401, wrong token or resource → 403 (the error envelope;
 *       Google does not retry a 4xx);</li>
 *   <li>our database or queue failing → 503 {@code service_unavailable}, anything unexpected →
 *       500: Google retries both.</li>
 * </ul>
 * A request that fails verification (400, 401, 403) is counted against its source IP
 * ({@code RATE_LIMIT_IP_PER_MINUTE}); over the limit it is answered 429 instead. A notification
 * that passes verification is never counted nor limited: Google does not retry a 429.
 */
public final class GoogleCalendarWebhook extends HttpEventFunction {
    private static final Logger LOG = Logger.getLogger(GoogleCalendarWebhook.class.getName());
    private static final Logger SECURITY = Logger.getLogger(NotificationGate.SECURITY_LOG);

    private final Function<PushNotification, Verdict> gate;
    private final RateLimiter rateLimiter;

    /**
     * @param gate        {@link NotificationGate#admit}
     * @param rateLimiter counts failed verifications per source IP
     */
    public GoogleCalendarWebhook(Function<PushNotification, Verdict> gate, RateLimiter rateLimiter) {
        this(gate, rateLimiter, null);
    }

    /**
     * @param gate        {@link NotificationGate#admit}
     * @param rateLimiter counts failed verifications per source IP
     * @param metrics     where the 429s are counted (or null)
     */
    public GoogleCalendarWebhook(Function<PushNotification, Verdict> gate, RateLimiter rateLimiter, EmfMetrics metrics) {
        super(LOG, metrics);
        this.gate = Objects.requireNonNull(gate, "gate");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        if (ApiRoute.withRouteKey(request.routeKey()) != ApiRoute.GOOGLE_CALENDAR_WEBHOOK) {
            return HttpResponse.error(ApiException.notFound("No route " + ApiException.excerpt(request.routeKey())));
        }
        PushNotification notification = PushNotification.fromHeaders(name -> request.header(name).orElse(null),
                request.sourceIp());
        Verdict verdict;
        try {
            verdict = gate.apply(notification);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "webhook: unhandled failure, answered 500 (Google retries it) requestId="
                    + request.requestId(), e);
            return HttpResponse.error(new ApiException(ErrorCode.INTERNAL, "Something went wrong on our side."));
        }
        return switch (verdict) {
            case Verdict.Ignored ignored -> accepted("ignored");
            case Verdict.Acknowledged acknowledged -> accepted("acknowledged");
            case Verdict.Enqueued enqueued -> accepted("enqueued");
            case Verdict.Malformed malformed -> refused(request, ApiException.badRequest(
                    "A Google Calendar notification needs a valid X-Goog-Channel-ID and X-Goog-Message-Number."));
            case Verdict.Unauthenticated unauthenticated -> refused(request,
                    ApiException.unauthorized("The channel token is missing."));
            case Verdict.Forbidden forbidden -> refused(request,
                    ApiException.forbidden("The notification does not match its channel."));
            case Verdict.RetryLater retry -> HttpResponse.error(new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                    "The notification cannot be taken right now; send it again."));
        };
    }

    private static HttpResponse accepted(String result) {
        return HttpResponse.ok(Map.of("result", result));
    }

    /** The refusal, or 429 when the source IP has failed verification too often this minute. */
    private HttpResponse refused(HttpRequest request, ApiException refusal) {
        if (request.sourceIp() != null
                && rateLimiter.acquire(new RateLimitSubject.SourceIp(request.sourceIp())) instanceof RateLimitDecision.Refused over) {
            SECURITY.info(() -> "security: webhook rate limited sourceIp=" + request.sourceIp() + " retryAfter="
                    + over.retryAfterSeconds() + "s requestId=" + request.requestId());
            return HttpResponse.rateLimited(over.retryAfterSeconds());
        }
        return HttpResponse.error(refusal);
    }
}
