package dev.pipedesk.http;

import java.util.Optional;

/**
 * The rule every text a client sends must meet — body fields, path values, query values —
 * before it goes anywhere: no NUL character (PostgreSQL cannot store one in text, and Google
 * would take it) and no unpaired UTF-16 surrogate (what a JSON escape such as {@code "\uD800"}
 * gives; it is no character and cannot be encoded as UTF-8). A broken text is a 422 on its field.
 */
public final class TextInput {
    static final String NUL = "must not contain the NUL character (U+0000)";
    static final String UNPAIRED_SURROGATE =
            "must be valid Unicode: it contains an unpaired surrogate (U+D800 to U+DFFF, e.g. a lone \\uD800 escape)";

    private TextInput() {
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
