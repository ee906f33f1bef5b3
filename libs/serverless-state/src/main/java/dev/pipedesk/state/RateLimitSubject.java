package dev.pipedesk.state;

import java.util.Objects;

/** Who a request is counted against: one counter per subject and minute. */
public sealed interface RateLimitSubject {

    /** The counter's key prefix, e.g. {@code user#42}. */
    String key();

    /** An authenticated caller, by the token's {@code sub} (limit {@code RATE_LIMIT_USER_PER_MINUTE}). */
    record User(String userId) implements RateLimitSubject {
        public User {
            Objects.requireNonNull(userId, "userId");
        }

        @Override
        public String key() {
            return "user#" + userId;
        }
    }

    /**
     * A source IP whose request failed verification (limit {@code RATE_LIMIT_IP_PER_MINUTE}): for
     * the Google webhook, which must never limit a verified notification (Google does not retry a 429).
     */
    record SourceIp(String address) implements RateLimitSubject {
        public SourceIp {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String key() {
            return "ip#" + address;
        }
    }
}
