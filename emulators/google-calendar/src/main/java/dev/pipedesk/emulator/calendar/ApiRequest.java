package dev.pipedesk.emulator.calendar;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.pipedesk.core.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A received HTTP request, normalised the way Google's front end sees it: the method after
 * {@code X-HTTP-Method-Override}, a gunzipped body, decoded path segments and query parameters
 * (including the form-encoded query of a GET tunnelled as POST).
 */
record ApiRequest(
        String method,
        String path,
        List<String> segments,
        String rawQuery,
        Map<String, List<String>> query,
        Headers headers,
        byte[] body) {

    static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    static ApiRequest from(HttpExchange exchange) throws IOException {
        String rawMethod = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Headers headers = exchange.getRequestHeaders();
        String override = headers.getFirst(METHOD_OVERRIDE);
        String method = "POST".equals(rawMethod) && override != null && !override.isBlank()
                ? override.trim().toUpperCase(Locale.ROOT)
                : rawMethod;

        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String encoding = headers.getFirst("Content-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip") && body.length > 0) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }

        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, List<String>> query = parseForm(rawQuery);
        String contentType = headers.getFirst("Content-Type");
        if ("GET".equals(method) && !"GET".equals(rawMethod) && contentType != null
                && contentType.startsWith("application/x-www-form-urlencoded")) {
            String form = new String(body, StandardCharsets.UTF_8);
            parseForm(form).forEach((k, v) -> query.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            rawQuery = rawQuery == null || rawQuery.isEmpty() ? form : rawQuery + "&" + form;
            body = new byte[0];
        }
        return new ApiRequest(method, percentDecode(rawPath), segments(rawPath), rawQuery == null ? "" : rawQuery,
                query, headers, body);
    }

    /** Decodes {@code a=1&b=2} (form encoding) into an ordered multimap. */
    static Map<String, List<String>> parseForm(String encoded) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return values;
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(percentDecode(segment));
            }
        }
        return Collections.unmodifiableList(segments);
    }

    /** Percent-decoding for paths: unlike form decoding, '+' stays '+'. */
    static String percentDecode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getLast());
    }

    List<String> params(String name) {
        return query.getOrDefault(name, List.of());
    }

    boolean hasParam(String name) {
        return query.containsKey(name);
    }

    String header(String name) {
        return headers.getFirst(name);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as a JSON object; Google answers 400 parseError to anything else. */
    ObjectNode jsonObject() {
        if (body.length == 0) {
            throw GoogleApiError.required("Required");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw GoogleApiError.parseError();
        } catch (JacksonException e) {
            throw GoogleApiError.parseError();
        }
    }
}
