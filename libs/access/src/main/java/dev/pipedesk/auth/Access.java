package dev.pipedesk.auth;

import java.util.Objects;

/** What the route policy decided for one request. */
public sealed interface Access permits Access.Allowed, Access.Denied {

    /**
     * The request may proceed.
     *
     * @param redacted true when the caller may only see the redacted form of what it reads
     *                 (a {@link Role#CLIENT})
     */
    record Allowed(boolean redacted) implements Access {
    }

    /** The request must be refused with 403; {@code reason} is safe to show to the caller. */
    record Denied(String reason) implements Access {
        public Denied {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
