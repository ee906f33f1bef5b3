package dev.pipedesk.emulator.calendar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every non-control call received, for tests that assert on what the client sent. */
final class CallLog {

    private static final List<String> HEADERS_OF_INTEREST = List.of(
            "If-Match", "If-None-Match", ApiRequest.METHOD_OVERRIDE, "Content-Encoding", "Content-Type");
    private static final int MAX_BODY_CHARS = 65_536;

    private final List<ReceivedCall> calls = new ArrayList<>();

    void record(ApiRequest request, int status, boolean responseDropped) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : HEADERS_OF_INTEREST) {
            String value = request.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        String body = request.bodyText();
        if (body.length() > MAX_BODY_CHARS) {
            body = body.substring(0, MAX_BODY_CHARS);
        }
        ReceivedCall call = new ReceivedCall(Instant.now(), request.method(), request.path(), request.rawQuery(),
                headers, body, status, responseDropped);
        synchronized (this) {
            calls.add(call);
        }
    }

    synchronized List<ReceivedCall> all() {
        return List.copyOf(calls);
    }

    synchronized void clear() {
        calls.clear();
    }
}
