package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Which {@link ConferenceMode} the next Meet createRequest gets (next-N override, then the
 * calendar's mode, then the default) and the {@code conferenceData} Google answers for each status.
 */
final class Conferences {

    static final String MEET = "hangoutsMeet";
    private static final String MEET_ICON =
            "https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png";

    private final SecureRandom random = new SecureRandom();
    private final ConferenceMode initialDefault;
    private ConferenceMode defaultMode;
    private final Map<String, ConferenceMode> perCalendar = new HashMap<>();
    private final Deque<ConferenceMode> next = new ArrayDeque<>();

    Conferences(ConferenceMode defaultMode) {
        this.initialDefault = defaultMode;
        this.defaultMode = defaultMode;
    }

    synchronized void setDefault(ConferenceMode mode) {
        defaultMode = mode;
    }

    synchronized void setForCalendar(String calendarId, ConferenceMode mode) {
        if (mode == null) {
            perCalendar.remove(calendarId);
        } else {
            perCalendar.put(calendarId, mode);
        }
    }

    synchronized void setForNext(int count, ConferenceMode mode) {
        for (int i = 0; i < count; i++) {
            next.addLast(mode);
        }
    }

    synchronized void reset() {
        defaultMode = initialDefault;
        perCalendar.clear();
        next.clear();
    }

    /** The mode for a createRequest on this calendar; consumes one next-N override. */
    synchronized ConferenceMode take(String calendarId) {
        ConferenceMode override = next.pollFirst();
        if (override != null) {
            return override;
        }
        return perCalendar.getOrDefault(calendarId, defaultMode);
    }

    /** A Meet conference with entry points, as docs/google-calendar.md (Meet conferences) describes it. */
    ObjectNode success(String requestId) {
        String code = meetCode();
        String meetUri = meetUri(code);
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("createRequest", createRequest(requestId, "success"));
        ArrayNode entryPoints = data.putArray("entryPoints");
        entryPoints.addObject().put("entryPointType", "video").put("uri", meetUri)
                .put("label", "meet.google.com/" + code);
        String pin = digits(13);
        entryPoints.addObject().put("entryPointType", "more")
                .put("uri", "https://tel.meet/" + code + "?pin=" + pin).put("pin", pin);
        entryPoints.addObject().put("entryPointType", "phone").put("uri", "tel:+1-402-410-2193")
                .put("label", "+1 402-410-2193").put("pin", digits(9)).put("regionCode", "US");
        ObjectNode solution = data.putObject("conferenceSolution");
        solution.putObject("key").put("type", MEET);
        solution.put("name", "Google Meet");
        solution.put("iconUri", MEET_ICON);
        data.put("conferenceId", code);
        byte[] signature = new byte[32];
        random.nextBytes(signature);
        data.put("signature", Base64.getEncoder().encodeToString(signature));
        return data;
    }

    /** Still being created: no entry points, no hangoutLink yet. */
    ObjectNode pending(String requestId) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("createRequest", createRequest(requestId, "pending"));
        return data;
    }

    /** Creation failed: no entry points, no conference solution, no signature. */
    ObjectNode failure(String requestId) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("createRequest", createRequest(requestId, "failure"));
        return data;
    }

    /** The Meet URL of a successful conference (what hangoutLink shows), or null. */
    static String meetLink(ObjectNode conferenceData) {
        if (conferenceData == null
                || !MEET.equals(EventJson.text(conferenceData.path("conferenceSolution").path("key"), "type"))) {
            return null;
        }
        for (var entryPoint : conferenceData.path("entryPoints")) {
            if ("video".equals(EventJson.text(entryPoint, "entryPointType"))) {
                return EventJson.text(entryPoint, "uri");
            }
        }
        return null;
    }

    String newRequestId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ObjectNode createRequest(String requestId, String statusCode) {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("requestId", requestId);
        request.putObject("conferenceSolutionKey").put("type", MEET);
        request.putObject("status").put("statusCode", statusCode);
        return request;
    }

    private static String meetUri(String code) {
        return "https://meet.google.com/" + code;
    }

    /** A meeting code like {@code abc-defg-hij}. */
    private String meetCode() {
        return letters(3) + "-" + letters(4) + "-" + letters(3);
    }

    private String letters(int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }

    private String digits(int count) {
        StringBuilder out = new StringBuilder(count);
        out.append((char) ('1' + random.nextInt(9)));
        for (int i = 1; i < count; i++) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }
}
