package dev.pipedesk.http.testing;

import java.nio.charset.StandardCharsets;
import dev.pipedesk.core.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A seeded generator of what a hostile or careless client sends: odd strings (NUL, unpaired
 * surrogates, controls, huge, injection-looking, almost-valid times and ids), random JSON, bodies
 * mutated from a valid one, nesting around the parser's limit, and bytes that are not UTF-8.
 * The same seed gives the same sequence, so a fuzz test built on it always runs the same cases
 * and cannot fail by chance.
 */
public final class HostileInput {
    /** Strings that have broken parsers, databases and APIs before, and some that look valid. */
    private static final List<String> ODD_STRINGS = List.of(
            "", " ", "\u0000", "a\u0000", "\u0000a", "a\u0000b", "u-1\u0000x", "\uD800", "\uDFFF", "x\uDBFF", "\uDC00y", "\uD83D\uDE00", "\uD834\uDD1E",
            "é", "\u202E", "\uFEFF", "\n", "\r\n", "\t", "\u0001", "\u001F", "\u007F", "\u0085", "\u00A0", "\u2028", "\uFFFD",
            "\uFFFF", "%00", "%", "%%", "%2F", "%FF", "../..", "/", "\\", "'", "\"", "' OR '1'='1", "1; drop table x; --",
            "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "null", "true", "false", "0", "-1", "-0", "1e309",
            "NaN", "Infinity", "9".repeat(400), "a".repeat(300), "x".repeat(20_000), "primary", "lead", "deal", "contact",
            "LEAD", " deal ", "all", "cancelled", "confirmed", "tentative", "create", "status_change",
            "2030-01-01", "2030-01-01T10:00:00Z", "2030-01-01T10:00:00", "2030-01-01T10:00:00.1239Z",
            "2030-01-01T10:00:00.1231Z", "1500-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "+99999-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2030-02-30T10:00:00Z",
            "2030-01-01T10:00:00+25:00", "2030-01-01T10:00:00 01:00", "2030-01-01T24:00:00Z", "1500-01-01", "9999-12-31",
            "ana@example.com", "ANA@EXAMPLE.COM", "a@b", "@", "a@b.c\u0000", "3f0c2a9e-6c1b-4c1e-9f5a-0d1f2e3a4b5c",
            "00000000-0000-0000-0000-000000000000", "3F0C2A9E-6C1B-4C1E-9F5A-0D1F2E3A4B5C", "abcdefghijklmnopqrstuv01234",
            "system:outbox-relay", "u-1", "*", "?", "#", "&", "=", "+", ",", ";");

    private final SplittableRandom random;

    public HostileInput(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    public int between(int fromInclusive, int toExclusive) {
        return random.nextInt(fromInclusive, toExclusive);
    }

    public <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    @SafeVarargs
    public final <T> T oneOf(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** An odd string: from the list above, random UTF-16 units, or one of those mutated. */
    public String text() {
        return switch (random.nextInt(4)) {
            case 0, 1 -> oneOf(ODD_STRINGS);
            case 2 -> randomUnits(random.nextInt(0, 40));
            default -> mutate(oneOf(ODD_STRINGS));
        };
    }

    /**
     * A copy of {@code valid} with a few characters inserted (often a NUL or a surrogate half),
     * deleted or replaced, or cut short.
     */
    public String mutate(String valid) {
        StringBuilder text = new StringBuilder(valid);
        int edits = random.nextInt(1, 4);
        for (int i = 0; i < edits; i++) {
            int at = text.isEmpty() ? 0 : random.nextInt(text.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> text.insert(at, unit());
                case 4 -> text.insert(at, oneOf('\u0000', '\uD800', '\uDC00', '\n', '\u202E'));
                case 1 -> {
                    if (at < text.length()) {
                        text.deleteCharAt(at);
                    }
                }
                case 2 -> {
                    if (at < text.length()) {
                        text.setCharAt(at, unit());
                    }
                }
                default -> text.setLength(at);
            }
        }
        return text.toString();
    }

    /** A random JSON value of any type, nested at most {@code depth} levels, as JSON text. */
    public String jsonValue(int depth) {
        int kinds = depth <= 0 ? 5 : 7;
        return switch (random.nextInt(kinds)) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> oneOf("0", "-1", "1", "42", "1.5", "-0", "1e309", "-1e-400", "12345678901234567890123",
                    "9".repeat(1200), "0.0000001");
            case 3, 4 -> jsonString(text());
            case 5 -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(jsonValue(depth - 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    fields.put(text(), jsonValue(depth - 1));
                }
                yield object(fields);
            }
        };
    }

    /**
     * A body mutated from {@code validFields} (field name to JSON text): some values replaced by
     * odd ones, some fields dropped or added (from {@code knownNames} or odd names), and now and
     * then the JSON text itself damaged.
     */
    public String mutatedObject(Map<String, String> validFields, List<String> knownNames) {
        Map<String, String> fields = new LinkedHashMap<>(validFields);
        int edits = random.nextInt(1, 4);
        for (int i = 0; i < edits; i++) {
            List<String> names = new ArrayList<>(fields.keySet());
            switch (random.nextInt(4)) {
                case 0, 1 -> {
                    if (!names.isEmpty()) {
                        fields.put(oneOf(names), chance(0.6) ? jsonString(text()) : jsonValue(2));
                    }
                }
                case 2 -> {
                    if (!names.isEmpty()) {
                        fields.remove(oneOf(names));
                    }
                }
                default -> fields.put(chance(0.8) ? oneOf(knownNames) : text(), chance(0.5) ? jsonString(text()) : jsonValue(2));
            }
        }
        String body = object(fields);
        return chance(0.15) ? mutate(body) : body;
    }

    /**
     * Gives {@code request} a hostile body: now and then {@code validFields} as they are, else
     * random JSON, nesting around the parser's limit, bytes that are not UTF-8, no or a non-JSON
     * body, or most often a {@linkplain #mutatedObject mutated} object.
     */
    public ApiGatewayRequest body(ApiGatewayRequest request, Map<String, String> validFields, List<String> knownNames) {
        return switch (between(0, 10)) {
            case 0, 1 -> request.body(object(validFields));
            case 2 -> request.body(jsonValue(3));
            case 3 -> request.body(nested(Json.maxNestingDepth() + between(-3, 4)));
            case 4 -> request.bytes(notUtf8(object(validFields)));
            case 5 -> request.body(chance(0.5) ? null : text());
            default -> request.body(mutatedObject(validFields, knownNames));
        };
    }

    /** One of the {@code known} ids, that one damaged, or an odd string. */
    public String id(List<String> known) {
        return switch (between(0, 5)) {
            case 0, 1 -> oneOf(known);
            case 2 -> mutate(oneOf(known));
            default -> text();
        };
    }

    /** {@code valid} damaged, or an odd string. */
    public String damaged(String valid) {
        return chance(0.5) ? mutate(valid) : text();
    }

    /** Field names and their JSON texts, in this order (for {@link #object} and {@link #mutatedObject}). */
    public static Map<String, String> fields(String... namesAndJson) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndJson.length; i += 2) {
            fields.put(namesAndJson[i], namesAndJson[i + 1]);
        }
        return Collections.unmodifiableMap(fields);
    }

    /** Arrays nested {@code depth} levels deep (the parser's limit is a few hundred). */
    public static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** The UTF-8 bytes of {@code json} with bytes that make it invalid UTF-8 spliced in. */
    public byte[] notUtf8(String json) {
        byte[] valid = json.getBytes(StandardCharsets.UTF_8);
        byte[] broken = oneOf(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE9});
        int at = random.nextInt(valid.length + 1);
        byte[] bytes = new byte[valid.length + broken.length];
        System.arraycopy(valid, 0, bytes, 0, at);
        System.arraycopy(broken, 0, bytes, at, broken.length);
        System.arraycopy(valid, at, bytes, at + broken.length, valid.length - at);
        return bytes;
    }

    /** A JSON string literal for any Java string, lone surrogates and NULs included (as escapes). */
    public static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }

    /** A JSON object from field names and JSON texts, in order. */
    public static String object(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> jsonString(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private String randomUnits(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(unit());
        }
        return text.toString();
    }

    /** One UTF-16 unit: mostly printable ASCII, else a control, a surrogate half or any BMP unit. */
    private char unit() {
        return switch (random.nextInt(6)) {
            case 0, 1, 2 -> (char) random.nextInt(0x20, 0x7f);
            case 3 -> (char) random.nextInt(0, 0x20);
            case 4 -> (char) random.nextInt(0xD800, 0xE000);
            default -> (char) random.nextInt(0, 0x10000);
        };
    }
}
