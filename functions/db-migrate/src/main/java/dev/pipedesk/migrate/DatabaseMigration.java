package dev.pipedesk.migrate;

import dev.pipedesk.migrations.Migrations;
import dev.pipedesk.postgres.DatabaseCredentials;
import dev.pipedesk.postgres.Transactions;
import dev.pipedesk.secrets.SecretSource;
import dev.pipedesk.secrets.SecretUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * One deployment's database work, as the admin (owner) login: the Flyway migrations (which create
 * the NOLOGIN group roles with their grants), then for each group role its login user, from a
 * Secrets Manager secret {@code {"username","password"}}: created as a member of the role, or,
 * when it exists, given the secret's password (LOGIN, membership made sure of). Running it again
 * changes nothing but the passwords, so a rotated login secret takes effect.
 *
 * <p>Usernames must be plain lower-case identifiers ({@value #USERNAME_PATTERN}), never a group
 * role or a superuser; identifiers are quoted by PostgreSQL's own {@code format('%I')}. The
 * password is never in a statement's text nor a log line: it is sent as a SCRAM-SHA-256 verifier
 * computed here ({@link PGConnection#alterUserPassword}).
 */
public final class DatabaseMigration {
    static final String USERNAME_PATTERN = "[a-z_][a-z0-9_]{0,62}";
    private static final Pattern USERNAME = Pattern.compile(USERNAME_PATTERN);
    private static final Logger LOG = Logger.getLogger(DatabaseMigration.class.getName());

    private final DataSource admin;
    private final SecretSource secrets;

    /**
     * @param admin   connections as the database's owner (may create roles)
     * @param secrets where the login secrets are read (each once per run, never cached)
     */
    public DatabaseMigration(DataSource admin, SecretSource secrets) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /**
     * Migrates, then makes sure of each login.
     *
     * @throws IllegalStateException      when a login secret is unusable (bad username, a
     *                                    superuser, a group role's name)
     * @throws SecretUnavailableException when a login secret cannot be read
     * @throws RuntimeException           when a migration or a role statement fails
     */
    public MigrationSummary run(Map<GroupRole, String> loginSecrets) {
        int applied = Migrations.migrate(admin);
        String version = Migrations.currentVersion(admin);
        LOG.info(() -> "Flyway: " + applied + " migration(s) applied, schema version " + version);
        List<MigrationSummary.Login> logins = new ArrayList<>();
        for (Map.Entry<GroupRole, String> entry : loginSecrets.entrySet()) {
            GroupRole role = entry.getKey();
            DatabaseCredentials login = readLogin(entry.getValue());
            MigrationSummary.Action action = Transactions.inTransaction(admin, connection -> ensureLogin(connection, role, login));
            LOG.info(() -> "Login " + login.username() + " (member of " + role.roleName() + "): "
                    + action.name().toLowerCase(java.util.Locale.ROOT));
            logins.add(new MigrationSummary.Login(role.roleName(), login.username(), action));
        }
        return new MigrationSummary(applied, version, logins);
    }

    private DatabaseCredentials readLogin(String arn) {
        DatabaseCredentials login;
        try {
            login = DatabaseCredentials.parse(secrets.read(arn));
        } catch (IllegalArgumentException e) {
            // The message describes the problem, never the value.
            throw new IllegalStateException("Login secret " + arn + " is not usable: " + e.getMessage());
        }
        if (!USERNAME.matcher(login.username()).matches()) {
            throw new IllegalStateException("Login secret " + arn + ": the username must match " + USERNAME_PATTERN);
        }
        if (GroupRole.of(login.username()).isPresent()) {
            throw new IllegalStateException("Login secret " + arn + ": the username must not be a group role's name");
        }
        return login;
    }

    private static MigrationSummary.Action ensureLogin(Connection connection, GroupRole role, DatabaseCredentials login)
            throws SQLException {
        Optional<Boolean> groupCanLogin = canLogin(connection, role.roleName());
        if (groupCanLogin.isEmpty()) {
            throw new IllegalStateException("The group role " + role.roleName() + " does not exist after the migrations");
        }
        MigrationSummary.Action action;
        Optional<Boolean> superuser = isSuperuser(connection, login.username());
        if (superuser.isPresent()) {
            if (superuser.get()) {
                throw new IllegalStateException("The login " + login.username() + " is a superuser: not touched");
            }
            execute(connection, "select format('alter role %I with login', ?::text)", login.username());
            execute(connection, "select format('grant %I to %I', ?::text, ?::text)", role.roleName(), login.username());
            action = MigrationSummary.Action.UPDATED;
        } else {
            execute(connection, "select format('create role %I with login in role %I', ?::text, ?::text)",
                    login.username(), role.roleName());
            action = MigrationSummary.Action.CREATED;
        }
        // A SCRAM-SHA-256 verifier computed here: the password itself never reaches the server's logs.
        connection.unwrap(PGConnection.class).alterUserPassword(login.username(), login.password().toCharArray(),
                "scram-sha-256");
        return action;
    }

    private static Optional<Boolean> canLogin(Connection connection, String roleName) throws SQLException {
        return roleFlag(connection, "select rolcanlogin from pg_roles where rolname = ?", roleName);
    }

    private static Optional<Boolean> isSuperuser(Connection connection, String roleName) throws SQLException {
        return roleFlag(connection, "select rolsuper from pg_roles where rolname = ?", roleName);
    }

    private static Optional<Boolean> roleFlag(Connection connection, String sql, String roleName) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, roleName);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }

    /** Builds the statement with PostgreSQL's {@code format} (identifiers quoted by {@code %I}), then runs it. */
    private static void execute(Connection connection, String formatQuery, String... arguments) throws SQLException {
        String sql;
        try (PreparedStatement statement = connection.prepareStatement(formatQuery)) {
            for (int i = 0; i < arguments.length; i++) {
                statement.setString(i + 1, arguments[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                sql = rs.getString(1);
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
