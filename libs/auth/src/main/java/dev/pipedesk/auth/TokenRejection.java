package dev.pipedesk.auth;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;

import java.util.Locale;

/**
 * Why a token was refused. The name is safe to log as a security event (it holds nothing of
 * the token); the client only sees the generic {@link #toApiException() error}: 401 for a
 * missing, invalid or expired token, 403 for a valid token without a PipeDesk role, 500 when
 * the identity provider's keys cannot be fetched.
 */
public enum TokenRejection {
    MISSING_TOKEN(ErrorCode.UNAUTHORIZED, "An access token is required."),
    /** A bare token, or another scheme ({@code Basic ...}): only {@code Bearer <token>} is read. */
    NOT_BEARER(ErrorCode.UNAUTHORIZED, "Send the access token as 'Authorization: Bearer <token>'."),
    MALFORMED(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    ALGORITHM_NOT_ALLOWED(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    /** An RS256/ES256 token without {@code kid}, or whose {@code kid} the JWKS does not publish. */
    UNKNOWN_KEY(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    /** The JWKS could not be fetched and no key of it is held: the token cannot be checked. */
    KEYS_UNAVAILABLE(ErrorCode.INTERNAL, "The access token cannot be checked right now."),
    BAD_SIGNATURE(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    /** {@code exp} absent or JSON {@code null}. */
    MISSING_EXPIRY(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    EXPIRED(ErrorCode.UNAUTHORIZED, "The access token has expired."),
    NOT_YET_VALID(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    ISSUED_IN_FUTURE(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    /** {@code nbf} or {@code iat} present as JSON {@code null} (other non-numbers are {@link #MALFORMED}). */
    INVALID_TIME_CLAIM(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    WRONG_ISSUER(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    WRONG_AUDIENCE(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    /** {@code sub} absent, null, empty or blank. */
    MISSING_SUBJECT(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    /** {@code sub} not a string, or with control characters, unpaired surrogates or surrounding whitespace. */
    INVALID_SUBJECT(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    /** {@code email} not a string, or with control characters or unpaired surrogates. */
    INVALID_EMAIL(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    INVALID(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    NO_APP_ROLE(ErrorCode.FORBIDDEN, "Your account has no PipeDesk role.");

    private static final String INVALID_MESSAGE = "The access token is invalid.";

    private final ErrorCode errorCode;
    private final String clientMessage;

    TokenRejection(ErrorCode errorCode, String clientMessage) {
        this.errorCode = errorCode;
        this.clientMessage = clientMessage;
    }

    /** {@link ErrorCode#UNAUTHORIZED} (401), {@link ErrorCode#FORBIDDEN} (403) or {@link ErrorCode#INTERNAL} (500). */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The message a client may see; the same for every kind of invalid token. */
    public String clientMessage() {
        return clientMessage;
    }

    /** Lower-case name for logs, e.g. {@code bad_signature}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public ApiException toApiException() {
        return new ApiException(errorCode, clientMessage);
    }
}
