package dev.pipedesk.secrets;

/**
 * Where secret values come from: Secrets Manager in AWS ({@link SecretsManagerSource}), a map in
 * tests. Implementations never log or put the value in an exception message.
 */
@FunctionalInterface
public interface SecretSource {

    /**
     * The current value of the secret {@code arn} (its {@code SecretString}).
     *
     * @throws SecretUnavailableException when it cannot be read (unknown, access denied, network)
     */
    String read(String arn);
}
