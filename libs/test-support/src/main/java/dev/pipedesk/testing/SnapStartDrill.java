package dev.pipedesk.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pipedesk.lambda.SnapStartResource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * A function's SnapStart resource driven as Lambda drives it (a checkpoint, then a restore),
 * against a real PostgreSQL in which the function logs in as a login of its own, so that the
 * function's sessions can be told from everyone else's (docs/architecture.md, "SnapStart").
 * No JDK here can checkpoint, so the hooks are called directly.
 */
public final class SnapStartDrill {
    private static final Duration SESSION_END = Duration.ofSeconds(10);

    private final TestDatabase database;
    private final String login;
    private final String password;

    /** What an invocation returned before the snapshot and after the restore. */
    public record Results<T>(T beforeSnapshot, T afterRestore) {
    }

    private SnapStartDrill(TestDatabase database, String login, String password) {
        this.database = database;
        this.login = login;
        this.password = password;
    }

    /**
     * Creates (or re-creates the password of) the login {@code login}: a member of
     * {@code groupRole}, or, when that is null, with every table privilege (for functions whose
     * group role this database does not have).
     */
    public static SnapStartDrill login(TestDatabase database, String login, String groupRole) {
        String password = "snapstart-" + login;
        database.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + login + "') then "
                        + "create role " + login + " login; end if; end $$",
                "alter role " + login + " login password '" + password + "' connection limit -1");
        if (groupRole != null) {
            database.execute("grant " + groupRole + " to " + login);
        } else {
            database.execute("grant select, insert, update, delete on all tables in schema public to " + login,
                    "grant usage, select on all sequences in schema public to " + login);
        }
        return new SnapStartDrill(database, login, password);
    }

    /** DATABASE_URL and the login's credentials, for the function's environment. */
    public Map<String, String> env() {
        return database.env(login, password);
    }

    /** The login's sessions open now, each as {@code pid@backend_start} (a pid alone may be reused). */
    public Set<String> sessions() {
        Set<String> sessions = new LinkedHashSet<>();
        try (Connection connection = database.dataSource().getConnection(); Statement query = connection.createStatement();
             ResultSet rs = query.executeQuery("select pid || '@' || backend_start from pg_stat_activity where usename = '"
                     + login + "' order by backend_start")) {
            while (rs.next()) {
                sessions.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return sessions;
    }

    /** Every table's content (each a digest of all its rows), to compare before and after. */
    public Map<String, String> tables() {
        Map<String, String> digests = new LinkedHashMap<>();
        try (Connection connection = database.dataSource().getConnection(); Statement query = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = query.executeQuery("select table_name from information_schema.tables "
                    + "where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = query.executeQuery("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' "
                        + "order by t::text)), '') from \"" + table + "\" t")) {
                    rs.next();
                    digests.put(table, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return digests;
    }

    /**
     * Primes with the database refusing the login any new session, after emptying the function's
     * pool (so priming cannot borrow a pooled connection either), then restores. What went wrong
     * while priming — a step that needed the database, or failed otherwise — is in the returned
     * warnings; the tables are compared by the caller with {@link #tables()}.
     *
     * @return the warnings the resource logged while priming (none when every step succeeded)
     */
    public List<String> primeWithoutTheDatabase(SnapStartResource resource) throws Exception {
        resource.beforeCheckpoint(null);
        resource.afterRestore(null);
        awaitNoSession();
        database.execute("alter role " + login + " connection limit 0");
        try (LogCapture log = LogCapture.of(SnapStartResource.class.getName())) {
            resource.beforeCheckpoint(null);
            return log.records().stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .map(SnapStartDrill::describe).toList();
        } finally {
            database.execute("alter role " + login + " connection limit -1");
            resource.afterRestore(null);
        }
    }

    /**
     * Takes a "snapshot": {@code beforeCheckpoint}, then waits until the database has seen every
     * session of the login end (the pool let its connections go and opened none), then
     * {@code afterRestore}.
     */
    public void checkpointAndRestore(SnapStartResource resource) throws Exception {
        resource.beforeCheckpoint(null);
        awaitNoSession();
        resource.afterRestore(null);
    }

    /**
     * The priming drill of every function with a database: priming without the database
     * ({@link #primeWithoutTheDatabase}) logs no warning and changes no table. What else priming
     * must not do (a send, a Google call) the caller checks.
     */
    public void assertPrimesWithoutTheDatabaseAndWritesNothing(SnapStartResource resource) throws Exception {
        Map<String, String> before = tables();
        assertEquals(List.of(), primeWithoutTheDatabase(resource), "warnings while priming without the database");
        assertEquals(before, tables(), "the tables after priming");
    }

    /**
     * The restore drill of every function with a database: {@code invocation}, which uses the
     * database, runs; a snapshot is taken and restored ({@link #checkpointAndRestore}); it runs
     * again, on a session of its own, never on one from before the snapshot.
     *
     * @return what the invocation returned, before the snapshot and after the restore
     */
    public <T> Results<T> assertRestoresOnNewSessions(SnapStartResource resource, Callable<T> invocation) throws Exception {
        T beforeSnapshot = invocation.call();
        Set<String> sessionsBefore = sessions();
        assertFalse(sessionsBefore.isEmpty(), "the invocation opened no session as " + login);

        checkpointAndRestore(resource);

        T afterRestore = invocation.call();
        Set<String> reused = sessions();
        assertFalse(reused.isEmpty(), "the invocation after the restore opened no session as " + login);
        reused.retainAll(sessionsBefore);
        assertTrue(reused.isEmpty(), "sessions from before the snapshot used after the restore: " + reused);
        return new Results<>(beforeSnapshot, afterRestore);
    }

    private void awaitNoSession() {
        await().atMost(SESSION_END).until(() -> sessions().isEmpty());
    }

    private static String describe(LogRecord record) {
        return record.getMessage() + (record.getThrown() == null ? "" : ": " + record.getThrown());
    }
}
