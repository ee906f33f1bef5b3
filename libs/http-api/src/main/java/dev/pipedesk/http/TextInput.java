package dev.pipedesk.http;

import dev.pipedesk.core.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The rule every text a client sends must meet — body fields, path values, query values —
 * before it goes anywhere: no NUL character (PostgreSQL cannot store one in text, and Google
 * would take it) and no unpaired UTF-16 surrogate (what a JSON escape such as {@code "\uD800"}
 * gives; it is no character and cannot be encoded as UTF-8). A broken text is a 422 on its field.
 */
public final class TextInput {
    /** The most problems {@link #problems(JsonNode)} reports, so a hostile body cannot make a huge answer. */
    public static final int MAX_REPORTED = 50;
    static final String NUL = "must not contain the NUL character (U+0000)";
    static final String UNPAIRED_SURROGATE =
            "must be valid Unicode: it contains an unpaired surrogate (U+D800 to U+DFFF, e.g. a lone \\uD800 escape)";

    private TextInput() {
    }

    /**
     * One problem for every string value anywhere in a JSON body that breaks the rule, named by its
     * path ({@code summary}, {@code attendees[2]}, {@code attendees[0].email}), the first
     * {@value #MAX_REPORTED} of them; none when all are fine. Object keys are not checked: a
     * body's unknown fields are ignored anyway.
     */
    public static List<FieldError> problems(JsonNode body) {
        List<FieldError> problems = new ArrayList<>();
        collect(body, "", problems);
        return problems;
    }

    private static void collect(JsonNode node, String path, List<FieldError> problems) {
        if (problems.size() == MAX_REPORTED) {
            return;
        }
        if (node.isString()) {
            problem(node.asString()).ifPresent(problem -> problems.add(new FieldError(path, problem)));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", problems);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collect(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), problems);
            }
        }
    }

    /** What is wrong with {@code text}, or empty when nothing is (a null text is nothing wrong). */
    public static Optional<String> problem(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return Optional.of(NUL);
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: one character
            } else if (Character.isSurrogate(c)) {
                return Optional.of(UNPAIRED_SURROGATE);
            }
        }
        return Optional.empty();
    }
}
