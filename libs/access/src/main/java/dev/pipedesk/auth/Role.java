package dev.pipedesk.auth;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The PipeDesk application roles, ordered by privilege: admin &gt; manager &gt; sales &gt; viewer.
 * {@link #CLIENT} is an external, read-only role ranked below viewer; the route policy lets it
 * read a few resources in redacted form and nothing else.
 *
 * <p>Identity providers' own roles (Supabase's {@code authenticated}, {@code anon}) are not
 * application roles and never parse.
 */
public enum Role {
    CLIENT(0),
    VIEWER(1),
    SALES(2),
    MANAGER(3),
    ADMIN(4);

    /** Wire names and accepted aliases, all lower-case. */
    private static final Map<String, Role> BY_NAME = Map.ofEntries(
            Map.entry("client", CLIENT),
            Map.entry("viewer", VIEWER),
            Map.entry("sales", SALES),
            Map.entry("analyst", SALES),
            Map.entry("new_business", SALES),
            Map.entry("newbusiness", SALES),
            Map.entry("manager", MANAGER),
            Map.entry("admin", ADMIN),
            Map.entry("superadmin", ADMIN),
            Map.entry("super_admin", ADMIN));

    private final int rank;

    Role(int rank) {
        this.rank = rank;
    }

    /** The lower-case name used in tokens, authorizer context and JSON. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role has at least the privileges of {@code other}. */
    public boolean atLeast(Role other) {
        return rank >= other.rank;
    }

    /**
     * The role a raw claim value names, aliases included. The value is matched exactly except
     * for ASCII letter case ({@code Sales} and {@code SALES} are {@code sales}): nothing is
     * trimmed, so a value with spaces, NUL or any other control character names no role.
     * Empty for null and unknown values (including {@code authenticated}).
     */
    public static Optional<Role> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_NAME.get(asciiLowerCase(raw)));
    }

    /** Folds only A-Z; every other character (non-ASCII letters included) stays as it is. */
    private static String asciiLowerCase(String raw) {
        StringBuilder folded = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return folded.toString();
    }
}
