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
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
 * role nor a {@code pg_} name. An existing role is only touched when it is a plain login of its
 * group role: no attribute beyond LOGIN, not the owner this runs as, a member of its group role
 * only, no members of its own, nothing it owns or was granted directly; otherwise the run fails
 * and no login is changed. A group role that can log in fails the run too. Identifiers are quoted by PostgreSQL's own {@code format('%I')}. The
 * password is never in a statement's text nor a log line: it is sent as a SCRAM-SHA-256 verifier
 * computed here ({@link PGConnection#alterUserPassword}).
 */
public final class DatabaseMigration {
    static final String USERNAME_PATTERN = "[a-z_][a-z0-9_]{0,62}";
    private static final Pattern USERNAME = Pattern.compile(USERNAME_PATTERN);
    /** A first deployment may reach the database while it still starts: up to about 2 minutes of retries. */
    static final int CONNECT_RETRIES = 12;
    static final int MAX_RETRY_INTERVAL_SECONDS = 10;
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
     * Migrates, then makes sure of each login, all logins in one transaction: when one is refused,
     * none is touched.
     *
     * @throws IllegalStateException      when a login secret is unusable (bad username, a group
     *                                    role's name, a role that is not a plain login of its group
     *                                    role) or a group role can log in
     * @throws SecretUnavailableException when a login secret cannot be read
     * @throws RuntimeException           when a migration or a role statement fails
     */
    public MigrationSummary run(Map<GroupRole, String> loginSecrets) {
        // The database may still be coming up (a first deployment): Flyway waits for it.
        int applied = Migrations.migrate(admin, CONNECT_RETRIES, MAX_RETRY_INTERVAL_SECONDS);
        String version = Migrations.currentVersion(admin);
        LOG.info(() -> "Flyway: " + applied + " migration(s) applied, schema version " + version);
        Map<GroupRole, DatabaseCredentials> logins = new EnumMap<>(GroupRole.class);
        Set<String> usernames = new HashSet<>();
        for (Map.Entry<GroupRole, String> entry : loginSecrets.entrySet()) {
            DatabaseCredentials login = readLogin(entry.getValue());
            if (!usernames.add(login.username())) {
                throw new IllegalStateException("Login secret " + entry.getValue() + ": the username " + login.username()
                        + " is another group role's login too; each group role needs its own login");
            }
            logins.put(entry.getKey(), login);
        }
        List<MigrationSummary.Login> done = Transactions.inTransaction(admin, connection -> {
            List<MigrationSummary.Login> result = new ArrayList<>();
            for (Map.Entry<GroupRole, DatabaseCredentials> entry : logins.entrySet()) {
                GroupRole role = entry.getKey();
                DatabaseCredentials login = entry.getValue();
                result.add(new MigrationSummary.Login(role.roleName(), login.username(), ensureLogin(connection, role, login)));
            }
            return result;
        });
        done.forEach(login -> LOG.info(() -> "Login " + login.username() + " (member of " + login.groupRole() + "): "
                + login.action().name().toLowerCase(Locale.ROOT)));
        return new MigrationSummary(applied, version, done);
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
        if (login.username().startsWith("pg_")) {
            throw new IllegalStateException("Login secret " + arn + ": the username must not start with pg_ (reserved roles)");
        }
        if (GroupRole.of(login.username()).isPresent()) {
            throw new IllegalStateException("Login secret " + arn + ": the username must not be a group role's name");
        }
        return login;
    }

    private static MigrationSummary.Action ensureLogin(Connection connection, GroupRole role, DatabaseCredentials login)
            throws SQLException {
        List<String> groupProblems = problems(connection, GROUP_PROBLEMS, role.roleName())
                .orElseThrow(() -> new IllegalStateException(
                        "The group role " + role.roleName() + " does not exist after the migrations"));
        if (!groupProblems.isEmpty()) {
            throw new IllegalStateException("The group role " + role.roleName() + " must be a plain NOLOGIN role, but it "
                    + String.join(", ", groupProblems) + ": fix it (e.g. ALTER ROLE " + role.roleName()
                    + " NOLOGIN), then run again");
        }
        MigrationSummary.Action action;
        Optional<List<String>> loginProblems = problems(connection, LOGIN_PROBLEMS, role.roleName(), role.roleName(), login.username());
        if (loginProblems.isPresent()) {
            if (!loginProblems.get().isEmpty()) {
                throw new IllegalStateException("The login " + login.username() + " exists and is not a plain login of "
                        + role.roleName() + ": it " + String.join(", ", loginProblems.get()) + "; not touched");
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

    /**
     * What makes an existing role more than a plain login of its group role: any role attribute
     * beyond LOGIN, being the user db-migrate runs as (the owner), a membership other than its
     * group role (or with ADMIN OPTION), other roles that are members of it (e.g. Supabase's
     * {@code anon}, which its API's {@code authenticator} switches to; the user running this may
     * be one: PostgreSQL 16 makes a role's creator a member), or anything of its own in the
     * catalogs (an object it owns or a privilege granted to it directly, in any database); and not
     * being a member of its group role at all (a role this function did not create: it creates
     * every login {@code IN ROLE} its group). Parameters: the group role (twice), the role.
     */
    private static final String LOGIN_PROBLEMS = """
            select array_remove(array[
                case when r.rolsuper then 'is a superuser' end,
                case when r.rolcreaterole then 'can create roles' end,
                case when r.rolcreatedb then 'can create databases' end,
                case when r.rolreplication then 'can replicate' end,
                case when r.rolbypassrls then 'bypasses row level security' end,
                case when r.rolname in (current_user, session_user) then 'is the user this function runs as (the owner)' end,
                case when exists (select 1 from pg_auth_members m join pg_roles g on g.oid = m.roleid
                        where m.member = r.oid and (g.rolname <> ? or m.admin_option))
                    then 'is a member of another role (or of its group role with ADMIN OPTION)' end,
                case when not exists (select 1 from pg_auth_members m join pg_roles g on g.oid = m.roleid
                        where m.member = r.oid and g.rolname = ?)
                    then 'is not a member of its group role (a role this function did not create)' end,
                case when exists (select 1 from pg_auth_members m join pg_roles o on o.oid = m.member
                        where m.roleid = r.oid and o.rolname <> current_user)
                    then 'has members' end,
                case when exists (select 1 from pg_shdepend d
                        where d.refclassid = 'pg_authid'::regclass and d.refobjid = r.oid)
                    then 'owns objects or holds privileges of its own' end
            ], null)
            from pg_roles r where r.rolname = ?""";

    /** What a group role must not be: a login, or more than a plain role. Parameter: the role. */
    private static final String GROUP_PROBLEMS = """
            select array_remove(array[
                case when r.rolcanlogin then 'can log in' end,
                case when r.rolsuper or r.rolcreaterole or r.rolcreatedb or r.rolreplication or r.rolbypassrls
                    then 'has role attributes (superuser, create role or database, replication, bypass RLS)' end,
                case when exists (select 1 from pg_auth_members m where m.member = r.oid)
                    then 'is a member of another role' end
            ], null)
            from pg_roles r where r.rolname = ?""";

    /** The problems of an existing role ({@code sql}: one text array), or empty when it does not exist. */
    private static Optional<List<String>> problems(Connection connection, String sql, String... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(List.of((String[]) rs.getArray(1).getArray()));
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
