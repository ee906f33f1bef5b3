package dev.pipedesk.auth;

import java.util.Objects;

/** The outcome of checking an access token: a principal, or the reason it was refused. */
public sealed interface VerificationResult permits VerificationResult.Verified, VerificationResult.Rejected {

    record Verified(Principal principal) implements VerificationResult {
        public Verified {
            Objects.requireNonNull(principal, "principal");
        }
    }

    record Rejected(TokenRejection reason) implements VerificationResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
