package dev.pipedesk.migrate;

import dev.pipedesk.core.Env;
import dev.pipedesk.postgres.DatabaseSettings;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the migration function migrates and which logins it creates.
 *
 * @param database     the database, as the admin (owner) connects: {@code DATABASE_URL} and/or
 *                     {@code DATABASE_SECRET_ARN} ({@link DatabaseSettings})
 * @param loginSecrets {@code DATABASE_LOGIN_SECRET_ARNS}: for each group role, the Secrets Manager
 *                     secret ({@code {"username","password"}}) of its login user; empty: no login
 *                     is touched (only the migrations run; the CDK app always passes all three)
 */
public record MigrationSettings(DatabaseSettings database, Map<GroupRole, String> loginSecrets) {

    /** The environment variables {@link #fromEnv} reads besides {@link DatabaseSettings#VARIABLES}. */
    public enum Variable { DATABASE_LOGIN_SECRET_ARNS }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public MigrationSettings {
        Map<GroupRole, String> copy = new EnumMap<>(GroupRole.class);
        copy.putAll(loginSecrets);
        loginSecrets = Collections.unmodifiableMap(copy);
    }

    /**
     * @throws IllegalStateException when the database settings are invalid, or a
     *                               {@code DATABASE_LOGIN_SECRET_ARNS} entry is not
     *                               {@code <known group role>=<ARN>}, or names a role twice
     */
    public static MigrationSettings fromEnv(Env env) {
        DatabaseSettings database = DatabaseSettings.fromEnv(env);
        Map<GroupRole, String> logins = new EnumMap<>(GroupRole.class);
        String raw = env.optional(Variable.DATABASE_LOGIN_SECRET_ARNS.name()).orElse("");
        for (String pair : raw.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            String roleName = parts[0].trim();
            GroupRole role = GroupRole.of(roleName).orElseThrow(() -> new IllegalStateException(
                    Variable.DATABASE_LOGIN_SECRET_ARNS + ": '" + roleName + "' is not a group role; use one of "
                            + Arrays.stream(GroupRole.values()).map(GroupRole::roleName).collect(Collectors.joining(", "))));
            String arn = parts.length == 2 ? parts[1].trim() : "";
            if (arn.isEmpty()) {
                throw new IllegalStateException(Variable.DATABASE_LOGIN_SECRET_ARNS + ": '" + roleName
                        + "' has no secret ARN (write <group role>=<secret ARN>)");
            }
            if (logins.put(role, arn) != null) {
                throw new IllegalStateException(Variable.DATABASE_LOGIN_SECRET_ARNS + ": '" + roleName + "' is named twice");
            }
        }
        return new MigrationSettings(database, logins);
    }
}
