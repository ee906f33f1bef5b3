package dev.pipedesk.auth;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;

import java.util.Locale;

/**
 * Why a token was refused. The name is safe to log as a security event (it holds nothing of
 * the token); the client only sees the generic {@link #toApiException() error}: 401 for a
 * missing, invalid or expired token, 403 for a valid token without a PipeDesk role.
 */
public enum TokenRejection {
    MISSING_TOKEN(ErrorCode.UNAUTHORIZED, "An access token is required."),
    MALFORMED(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    ALGORITHM_NOT_ALLOWED(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    BAD_SIGNATURE(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    MISSING_EXPIRY(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    EXPIRED(ErrorCode.UNAUTHORIZED, "The access token has expired."),
    NOT_YET_VALID(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    ISSUED_IN_FUTURE(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    WRONG_ISSUER(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    WRONG_AUDIENCE(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    MISSING_SUBJECT(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    INVALID(ErrorCode.UNAUTHORIZED, TokenRejection.INVALID_MESSAGE),
    NO_APP_ROLE(ErrorCode.FORBIDDEN, "Your account has no PipeDesk role.");

    private static final String INVALID_MESSAGE = "The access token is invalid.";

    private final ErrorCode errorCode;
    private final String clientMessage;

    TokenRejection(ErrorCode errorCode, String clientMessage) {
        this.errorCode = errorCode;
        this.clientMessage = clientMessage;
    }

    /** {@link ErrorCode#UNAUTHORIZED} (401) or {@link ErrorCode#FORBIDDEN} (403). */
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
