package dev.pipedesk.secrets;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Secret values from AWS Secrets Manager ({@code GetSecretValue}, the {@code AWSCURRENT}
 * version's {@code SecretString}). The SDK client is built at the first read, not before: a
 * function that never reads a secret (the local stack's plain values) never loads the SDK, and
 * a SnapStart snapshot holds no connection. Region from the SDK's default chain
 * ({@code AWS_REGION} in Lambda), credentials from the function's role, endpoint override from the
 * SDK's own {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} (or {@link #at} in tests).
 */
public final class SecretsManagerSource implements SecretSource, AutoCloseable {
    /** Per attempt; the SDK retries transient failures (its standard retry mode). */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);

    private final Supplier<SecretsManagerClient> factory;
    private volatile SecretsManagerClient client;

    private SecretsManagerSource(Supplier<SecretsManagerClient> factory) {
        this.factory = factory;
    }

    /** Secrets Manager as the Lambda environment describes it (region, role, optional endpoint variable). */
    public static SecretsManagerSource standard() {
        return new SecretsManagerSource(() -> configured(SecretsManagerClient.builder()).build());
    }

    /**
     * A Secrets Manager at {@code endpoint} (a local stand-in), with the given client settings
     * applied to the builder (region, credentials).
     */
    public static SecretsManagerSource at(URI endpoint, java.util.function.UnaryOperator<SecretsManagerClientBuilder> more) {
        Objects.requireNonNull(endpoint, "endpoint");
        return new SecretsManagerSource(() -> more.apply(configured(SecretsManagerClient.builder()).endpointOverride(endpoint)).build());
    }

    private static SecretsManagerClientBuilder configured(SecretsManagerClientBuilder builder) {
        return builder
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(ATTEMPT_TIMEOUT).apiCallTimeout(CALL_TIMEOUT));
    }

    @Override
    public String read(String arn) {
        GetSecretValueResponse response;
        try {
            response = client().getSecretValue(request -> request.secretId(arn));
        } catch (AwsServiceException e) {
            // The error code (ResourceNotFoundException, AccessDeniedException, ...) and the SDK's
            // message, which names the request, never a value.
            String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : "error";
            throw new SecretUnavailableException("Secret " + arn + " could not be read: " + code + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            // The SDK's messages carry the error code and the id asked for, never a value.
            throw new SecretUnavailableException("Secret " + arn + " could not be read: " + e.getMessage(), e);
        }
        if (response.secretString() == null) {
            throw new SecretUnavailableException("Secret " + arn + " holds no SecretString (binary secrets are not supported)");
        }
        return response.secretString();
    }

    private SecretsManagerClient client() {
        SecretsManagerClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    client = factory.get();
                }
                current = client;
            }
        }
        return current;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
