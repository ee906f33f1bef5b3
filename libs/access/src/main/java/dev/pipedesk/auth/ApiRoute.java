package dev.pipedesk.auth;

import dev.pipedesk.auth.RoutePolicy.Rule;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every HTTP route of PipeDesk, written once: method and path template (together API Gateway's
 * route key), what serves it, and who may call it.
 *
 * <p>{@link RoutePolicy#standard()} (the authorizer's and the functions' role check), the local
 * gateway's route table and the functions' route switches read this table (and the CDK app will);
 * {@code docs/api/openapi.yaml} declares exactly these routes, local-only ones marked
 * {@code x-local-only: true} (a test compares the two).
 */
public enum ApiRoute {
    CREATE_EVENT("POST /api/calendar/events", calendar(Rule.atLeast(Role.SALES))),
    LIST_EVENTS("GET /api/calendar/events", calendar(Rule.viewerOrRedactedClient())),
    GET_EVENT("GET /api/calendar/events/{id}", calendar(Rule.viewerOrRedactedClient())),
    UPDATE_EVENT("PATCH /api/calendar/events/{id}", calendar(Rule.atLeast(Role.SALES))),
    CANCEL_EVENT("DELETE /api/calendar/events/{id}", calendar(Rule.atLeast(Role.SALES))),
    WATCH_CALENDAR("POST /api/calendar/watch", calendar(Rule.atLeast(Role.ADMIN))),
    LIST_CHANNELS("GET /api/calendar/channels", calendar(Rule.atLeast(Role.ADMIN))),
    STOP_CHANNEL("DELETE /api/calendar/channels/{id}", calendar(Rule.atLeast(Role.ADMIN))),
    /** Logs an e-mail against a lead, deal or contact (the calendar function is the CRM activity writer). */
    LOG_EMAIL("POST /api/emails", calendar(Rule.atLeast(Role.SALES))),
    /** The e-mails logged against one entity; a {@code client} never reaches it. */
    LIST_EMAILS("GET /api/emails", calendar(Rule.atLeast(Role.VIEWER))),
    /**
     * Unlinks a mis-logged e-mail: sales+ at the route; the function admits the sales user who
     * logged it, and any manager or admin.
     */
    UNLINK_EMAIL("DELETE /api/emails/{id}", calendar(Rule.atLeast(Role.SALES))),
    /** Google Calendar push notifications: no JWT; each channel's own token authenticates them. */
    GOOGLE_CALENDAR_WEBHOOK("POST /webhooks/google-calendar", new ServedBy.ChannelAuthenticated("webhook")),
    GET_TIMELINE("GET /api/timeline/{entity_type}/{entity_id}", timeline(Rule.viewerOrRedactedClient())),
    LIST_AUDIT_LOGS("GET /api/audit-logs", timeline(Rule.atLeast(Role.ADMIN))),
    LIST_ENTITY_AUDIT_LOGS("GET /api/audit-logs/entity/{entity_type}/{entity_id}", timeline(Rule.atLeast(Role.MANAGER))),
    /**
     * "Admin, or that user": every internal role reaches the function, which admits a user
     * reading their own trail and refuses anyone but an admin reading another's.
     */
    LIST_USER_AUDIT_LOGS("GET /api/audit-logs/user/{user_id}", timeline(Rule.atLeast(Role.VIEWER))),
    /** The local stack's health (local gateway only, no authorization). */
    HEALTH("GET /health", new ServedBy.LocalGateway()),
    /** {@code docs/api/openapi.yaml} of the checkout (local gateway only, no authorization). */
    OPENAPI_DOCUMENT("GET /openapi.yaml", new ServedBy.LocalGateway()),
    /** The API reference page: Swagger UI over {@code /openapi.yaml} (local gateway only, no authorization). */
    API_REFERENCE("GET /docs", new ServedBy.LocalGateway()),
    /** One of the fixed files the API reference page loads: scripts, style sheets, icons (local gateway only). */
    API_REFERENCE_ASSET("GET /docs/assets/{file}", new ServedBy.LocalGateway()),
    /** Runs a function now with the event its trigger would send (local gateway only, no authorization). */
    INVOKE_FUNCTION("POST /_local/functions/{name}/invoke", new ServedBy.LocalGateway());

    /** The function behind the meeting and e-mail routes ({@code functions/calendar}). */
    public static final String CALENDAR_FUNCTION = "calendar";
    /** The function behind the audit-log and timeline routes ({@code functions/timeline}). */
    public static final String TIMELINE_FUNCTION = "timeline";
    /** The function behind the Google Calendar webhook ({@code functions/webhook}); {@link #GOOGLE_CALENDAR_WEBHOOK} names it literally (an enum constant cannot read a static field). */
    public static final String WEBHOOK_FUNCTION = "webhook";

    /** What answers a route. */
    public sealed interface ServedBy {

        /** The function behind the route, or null when the local gateway answers it itself. */
        default String functionName() {
            return switch (this) {
                case Lambda lambda -> lambda.function();
                case ChannelAuthenticated channel -> channel.function();
                case LocalGateway gateway -> null;
            };
        }

        /**
         * A Lambda function behind the Lambda authorizer, in AWS and locally.
         *
         * @param function the function's name (its folder under {@code functions/})
         * @param access   who may call the route
         */
        record Lambda(String function, Rule access) implements ServedBy {
            public Lambda {
                Objects.requireNonNull(function, "function");
                Objects.requireNonNull(access, "access");
            }
        }

        /**
         * A Lambda function without the Lambda authorizer: its caller is not a user with a JWT
         * (Google's push notifications) and the function authenticates each request itself.
         *
         * @param function the function's name (its folder under {@code functions/})
         */
        record ChannelAuthenticated(String function) implements ServedBy {
            public ChannelAuthenticated {
                Objects.requireNonNull(function, "function");
            }
        }

        /** The local gateway itself, without authorization; such a route does not exist in AWS. */
        record LocalGateway() implements ServedBy {
        }
    }

    private static final Map<String, ApiRoute> BY_ROUTE_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ApiRoute::routeKey, Function.identity()));

    private final String routeKey;
    private final ServedBy servedBy;

    ApiRoute(String routeKey, ServedBy servedBy) {
        this.routeKey = routeKey;
        this.servedBy = servedBy;
    }

    private static ServedBy calendar(Rule access) {
        return new ServedBy.Lambda(CALENDAR_FUNCTION, access);
    }

    private static ServedBy timeline(Rule access) {
        return new ServedBy.Lambda(TIMELINE_FUNCTION, access);
    }

    /** API Gateway's route key, e.g. {@code GET /api/calendar/events/{id}}. */
    public String routeKey() {
        return routeKey;
    }

    /** Upper case, e.g. {@code GET}. */
    public String method() {
        return routeKey.substring(0, routeKey.indexOf(' '));
    }

    /** API Gateway's path template, e.g. {@code /api/calendar/events/{id}}. */
    public String pathTemplate() {
        return routeKey.substring(routeKey.indexOf(' ') + 1);
    }

    public ServedBy servedBy() {
        return servedBy;
    }

    /** Whether only the local gateway answers this route (it is not deployed). */
    public boolean localOnly() {
        return servedBy instanceof ServedBy.LocalGateway;
    }

    /**
     * The route with exactly this route key (as API Gateway passes it to a function), or null:
     * handlers switch over it with {@code case null, default} for "no route".
     */
    public static ApiRoute withRouteKey(String routeKey) {
        return routeKey == null ? null : BY_ROUTE_KEY.get(routeKey);
    }

    /** Route key → access rule of every deployed route: the table {@link RoutePolicy#standard()} holds. */
    static Map<String, Rule> accessRules() {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (ApiRoute route : values()) {
            if (route.servedBy() instanceof ServedBy.Lambda lambda) {
                rules.put(route.routeKey(), lambda.access());
            }
        }
        return rules;
    }
}
