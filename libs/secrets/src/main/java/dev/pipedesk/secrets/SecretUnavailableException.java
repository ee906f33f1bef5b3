package dev.pipedesk.secrets;

/**
 * A secret could not be read or is not usable. The message names the secret (its ARN) and what
 * went wrong, never the value.
 */
public class SecretUnavailableException extends RuntimeException {

    public SecretUnavailableException(String message) {
        super(message);
    }

    public SecretUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
