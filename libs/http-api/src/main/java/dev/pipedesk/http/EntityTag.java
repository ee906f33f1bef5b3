package dev.pipedesk.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP entity tag (RFC 9110 §8.8.3): an opaque validator of one version of a resource, sent
 * as {@code ETag: "opaque"} (strong) or {@code W/"opaque"} (weak).
 *
 * @param opaque the characters between the quotes (visible ASCII except {@code "})
 */
public record EntityTag(String opaque, boolean weak) {

    public EntityTag {
        Objects.requireNonNull(opaque, "opaque");
        for (int i = 0; i < opaque.length(); i++) {
            if (!isTagCharacter(opaque.charAt(i))) {
                throw new IllegalArgumentException("an entity tag holds visible ASCII other than '\"' only");
            }
        }
    }

    public static EntityTag strong(String opaque) {
        return new EntityTag(opaque, false);
    }

    /** As in an {@code ETag} header: {@code "opaque"} or {@code W/"opaque"}. */
    public String headerValue() {
        return (weak ? "W/" : "") + '"' + opaque + '"';
    }

    /** Strong comparison (for {@code If-Match}): both strong and the same. */
    public boolean strongMatch(EntityTag other) {
        return !weak && !other.weak && opaque.equals(other.opaque);
    }

    /** Weak comparison (for {@code If-None-Match}): the same opaque tag, weak or not. */
    public boolean weakMatch(EntityTag other) {
        return opaque.equals(other.opaque);
    }

    /**
     * A comma-separated list of entity tags ({@code #entity-tag}; empty elements are allowed and
     * skipped, as the list syntax says).
     *
     * @throws IllegalArgumentException when the value is not such a list or has no tag
     */
    static List<EntityTag> parseList(String value) {
        List<EntityTag> tags = new ArrayList<>();
        int i = 0;
        int length = value.length();
        while (true) {
            while (i < length && (value.charAt(i) == ',' || isWhitespace(value.charAt(i)))) {
                i++;
            }
            if (i == length) {
                break;
            }
            boolean weak = value.startsWith("W/", i);
            if (weak) {
                i += 2;
            }
            if (i == length || value.charAt(i) != '"') {
                throw new IllegalArgumentException("an entity tag starts with '\"' or 'W/\"'");
            }
            int close = value.indexOf('"', i + 1);
            if (close < 0) {
                throw new IllegalArgumentException("an entity tag ends with '\"'");
            }
            tags.add(new EntityTag(value.substring(i + 1, close), weak));
            i = close + 1;
            while (i < length && isWhitespace(value.charAt(i))) {
                i++;
            }
            if (i < length && value.charAt(i) != ',') {
                throw new IllegalArgumentException("entity tags are separated by ','");
            }
        }
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("no entity tag");
        }
        return List.copyOf(tags);
    }

    private static boolean isTagCharacter(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7E);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
