package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** events.watch and channels.stop (docs/google-calendar.md, Watch channels and push). */
record ChannelsApi(CalendarService service, ChannelRegistry channels, PushDispatcher dispatcher,
                   EmulatorOptions options, URI rootUrl) {

    static final Duration DEFAULT_TTL = Duration.ofSeconds(604_800);
    private static final int MAX_ID_LENGTH = 64;
    private static final int MAX_TOKEN_LENGTH = 256;
    private static final Set<String> NOT_ECHOED = Set.of("alt", "prettyPrint", "fields", "quotaUser", "key");

    ApiResponse watch(ApiRequest request, String calendarIdAsGiven, Identity identity) {
        ObjectNode body = request.jsonObject();
        String id = EventJson.text(body, "id");
        if (id == null || id.isBlank()) {
            throw GoogleApiError.required("Required").at("body", "id");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw GoogleApiError.invalid("Channel id must be at most " + MAX_ID_LENGTH + " characters.");
        }
        String type = EventJson.text(body, "type");
        if (type == null) {
            throw GoogleApiError.required("Required").at("body", "type");
        }
        if (!List.of("web_hook", "webhook").contains(type.toLowerCase(Locale.ROOT))) {
            throw GoogleApiError.invalid("Invalid channel type: " + type);
        }
        String address = EventJson.text(body, "address");
        if (address == null || address.isBlank()) {
            throw GoogleApiError.required("Required").at("body", "address");
        }
        checkAddress(address);
        String token = EventJson.text(body, "token");
        if (token != null && token.length() > MAX_TOKEN_LENGTH) {
            throw GoogleApiError.invalid("Channel token must be at most " + MAX_TOKEN_LENGTH + " characters.");
        }
        String calendarId = service.resolveCalendarId(calendarIdAsGiven, identity);
        if (generatedCalendar(calendarId)) {
            throw GoogleApiError.pushNotSupported();
        }
        Instant expiration = expiration(body, Instant.now());

        Channel channel = channels.add(new Channel(new Channel.Watch(id, service.resourceIdOf(calendarId),
                resourceUri(calendarIdAsGiven, request.query()), calendarId, address, token, expiration)));
        dispatcher.channelCreated(channel);

        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("kind", "api#channel");
        out.put("id", channel.watch.id());
        out.put("resourceId", channel.watch.resourceId());
        out.put("resourceUri", channel.watch.resourceUri());
        if (token != null) {
            out.put("token", token);
        }
        out.put("expiration", Long.toString(expiration.toEpochMilli()));
        return ApiResponse.ok(out);
    }

    ApiResponse stop(ApiRequest request) {
        ObjectNode body = request.jsonObject();
        String id = EventJson.text(body, "id");
        if (id == null || id.isBlank()) {
            throw GoogleApiError.required("Required").at("body", "id");
        }
        String resourceId = EventJson.text(body, "resourceId");
        Channel channel = channels.find(id)
                .filter(c -> resourceId == null || resourceId.equals(c.watch.resourceId()))
                .filter(c -> c.live(Instant.now()))
                .orElseThrow(() -> GoogleApiError.channelNotFound(id));
        dispatcher.channelStopped(channel);
        return ApiResponse.noContent();
    }

    private void checkAddress(String address) {
        URI uri;
        try {
            uri = new URI(address);
        } catch (URISyntaxException e) {
            throw GoogleApiError.invalid("Invalid WebHook callback address: " + address);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean allowed = scheme.equals("https") || (scheme.equals("http") && options.allowHttpWebhooks());
        if (!allowed || uri.getHost() == null) {
            throw GoogleApiError.webhookUrlNotHttps(address);
        }
    }

    /**
     * The channel's expiry: {@code params.ttl} (seconds) and {@code expiration} (epoch millis),
     * the more restrictive one, 7 days when neither is given, clamped to the configured maximum.
     * A value that works out to zero or less is 400 pushInvalidTtl.
     */
    private Instant expiration(ObjectNode body, Instant now) {
        Instant expiration = null;
        JsonNode ttlNode = body.path("params").get("ttl");
        if (ttlNode != null && !ttlNode.isNull()) {
            long ttl = parseLong(ttlNode, "params.ttl");
            if (ttl <= 0) {
                throw GoogleApiError.pushInvalidTtl(ttl);
            }
            expiration = now.plusSeconds(ttl);
        }
        JsonNode expirationNode = body.get("expiration");
        if (expirationNode != null && !expirationNode.isNull()) {
            long millis = parseLong(expirationNode, "expiration");
            if (millis <= now.toEpochMilli()) {
                throw GoogleApiError.pushInvalidTtl(Math.floorDiv(millis - now.toEpochMilli(), 1000));
            }
            Instant requested = Instant.ofEpochMilli(millis);
            expiration = expiration == null || requested.isBefore(expiration) ? requested : expiration;
        }
        if (expiration == null) {
            expiration = now.plus(DEFAULT_TTL);
        }
        Instant max = now.plus(options.maxChannelTtl());
        return expiration.isAfter(max) ? max : expiration;
    }

    private static long parseLong(JsonNode node, String field) {
        try {
            return Long.parseLong(node.asString().trim());
        } catch (NumberFormatException e) {
            throw GoogleApiError.invalid("Invalid value for " + field + ": " + node.asString());
        }
    }

    /** Holiday, birthday and resource calendars cannot be watched. */
    private static boolean generatedCalendar(String calendarId) {
        String id = calendarId.toLowerCase(Locale.ROOT);
        return id.endsWith("@group.v.calendar.google.com") || id.endsWith("@resource.calendar.google.com");
    }

    /** The watched collection as Google reports it: the calendar id as given, the query, alt=json. */
    private String resourceUri(String calendarIdAsGiven, Map<String, List<String>> query) {
        StringJoiner params = new StringJoiner("&");
        query.forEach((name, values) -> {
            if (!NOT_ECHOED.contains(name)) {
                values.forEach(v -> params.add(encode(name) + "=" + encode(v)));
            }
        });
        params.add("alt=json");
        return rootUrl + "calendar/v3/calendars/" + encode(calendarIdAsGiven).replace("%40", "@")
                + "/events?" + params;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
