package dev.pipedesk.bench;

import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import dev.pipedesk.migrations.Migrations;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The timeline benchmark's database: an embedded PostgreSQL cluster whose data directory lives
 * under {@code bench/target/timeline-data/}, generated once ({@link BenchDataGenerator}, COPY,
 * then the indexes, ANALYZE and VACUUM) and kept between runs. Its folder is named by a
 * fingerprint of the generator (version, seed) and the size; the migrations it was made with are
 * recorded beside it. When the schema changes, a run applies the new migrations onto the stored
 * rows (as a production database gets them: an index added by a migration is built on the
 * existing rows, then ANALYZE) — and regenerates everything when a migration it was made with has
 * changed or gone, or the generator changed (the folder of an older fingerprint is removed
 * first). Before generating, the free disk space is checked against
 * {@link TimelineDataSize#estimatedDiskBytes()}.
 */
public final class TimelineDatabase implements AutoCloseable {
    static final String DATABASE = "timeline_bench";
    static final String META = "generation.json";
    /** The tables the generator fills; their secondary indexes are built after the COPY. */
    static final List<String> TABLES = List.of("calendar_events", "crm_emails", "audit_logs");

    /**
     * How the stored database was made.
     *
     * @param migrations  the migrations it has (file name to SHA-256 of its text): those it was generated with and those
     *                    applied onto it later
     * @param seconds     generation time (COPY, index builds, ANALYZE, VACUUM), in seconds
     * @param bytes       the data directory's size (when generated; when found stored, now)
     * @param migratedForward migrations this run applied onto the stored rows (empty: none)
     * @param reused      whether this run found it stored (true) or generated it
     */
    public record Generation(String fingerprint, TimelineDataSize size, BenchDataGenerator.Summary summary,
                             Map<String, String> migrations, double seconds, long bytes, Instant generatedAt,
                             List<String> migratedForward, boolean reused) {
        public Generation {
            migrations = new TreeMap<>(migrations);
            migratedForward = migratedForward == null ? List.of() : List.copyOf(migratedForward);
        }

        Generation asReused(long bytesNow, Map<String, String> migrationsNow, List<String> applied) {
            return new Generation(fingerprint, size, summary, migrationsNow, seconds, bytesNow, generatedAt, applied, true);
        }
    }

    private final EmbeddedPostgres postgres;
    private final Generation generation;
    private final FunctionPool pool;

    private TimelineDatabase(EmbeddedPostgres postgres, Generation generation) {
        this.postgres = postgres;
        this.generation = generation;
        this.pool = new FunctionPool(jdbcUrl());
    }

    /**
     * The stored database for {@code size}, generated first when there is none for the current
     * migrations and generator.
     *
     * @param root {@code bench/target/timeline-data}
     */
    public static TimelineDatabase open(Path root, Path migrations, TimelineDataSize size, PrintStream out) {
        String fingerprint = fingerprint(size);
        String label = size.equals(TimelineDataSize.FULL) ? "full" : "e" + size.entities();
        Path dir = root.resolve(label + "-" + fingerprint);
        Path meta = dir.resolve(META);
        Map<String, String> current = migrationHashes(migrations);
        try {
            if (Files.exists(meta)) {
                Generation stored = Json.read(Files.readString(meta), Generation.class);
                String regenerate = regenerationReason(stored.migrations(), current);
                if (regenerate == null) {
                    return reuse(dir, meta, stored, current, out);
                }
                out.println("  timeline data: " + regenerate + ": regenerating");
            }
            removeOlder(root, label, out);
            requireSpace(root, size);
            out.println("  timeline data: generating " + size.describe() + " into " + dir + " ...");
            long started = System.nanoTime();
            EmbeddedPostgres postgres = start(dir);
            try {
                BenchDataGenerator.Summary summary = generate(postgres, size, out);
                double seconds = (System.nanoTime() - started) / 1e9;
                long bytes = directorySize(dir);
                Generation generation = new Generation(fingerprint, size, summary, current, seconds, bytes, Instant.now(),
                        List.of(), false);
                Files.writeString(meta, Json.write(generation), StandardCharsets.UTF_8);
                out.printf(Locale.ROOT, "  timeline data: generated in %.0f s, %s on disk%n", seconds, gigabytes(bytes));
                return new TimelineDatabase(postgres, generation);
            } catch (RuntimeException | SQLException e) {
                postgres.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The timeline benchmark's database in " + dir + " could not be opened", e);
        } catch (SQLException e) {
            throw new IllegalStateException("Generating the timeline benchmark's database failed", e);
        }
    }

    /** Starts the stored cluster and applies the migrations it does not have yet (then ANALYZE). */
    private static TimelineDatabase reuse(Path dir, Path meta, Generation stored, Map<String, String> current,
                                          PrintStream out) throws IOException, SQLException {
        EmbeddedPostgres postgres = start(dir);
        try {
            List<String> pending = current.keySet().stream().filter(name -> !stored.migrations().containsKey(name)).toList();
            if (!pending.isEmpty()) {
                out.println("  timeline data: applying " + String.join(", ", pending) + " onto the stored rows...");
                long started = System.nanoTime();
                DataSource database = postgres.getDatabase(BenchPostgres.SUPERUSER, DATABASE);
                Migrations.migrate(database);
                try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("vacuum (analyze) " + String.join(", ", TABLES));
                }
                out.printf(Locale.ROOT, "  timeline data: migrated in %.0f s%n", (System.nanoTime() - started) / 1e9);
                Generation updated = stored.asReused(stored.bytes(), current, List.of());
                Files.writeString(meta, Json.write(new Generation(updated.fingerprint(), updated.size(), updated.summary(),
                        current, updated.seconds(), stored.bytes(), updated.generatedAt(), List.of(), false)),
                        StandardCharsets.UTF_8);
            }
            Generation generation = stored.asReused(directorySize(dir), current, pending);
            out.printf(Locale.ROOT, "  timeline data: stored in %s (%s; generated in %.0f s, %s on disk)%n", dir,
                    stored.size().describe(), stored.seconds(), gigabytes(generation.bytes()));
            return new TimelineDatabase(postgres, generation);
        } catch (RuntimeException | SQLException | IOException e) {
            postgres.close();
            throw e;
        }
    }

    /** SHA-256 over the generator's version and seed and the size; 16 hex digits. */
    static String fingerprint(TimelineDataSize size) {
        return Hashes.sha256Hex("generator " + BenchDataGenerator.VERSION + " seed " + BenchDataGenerator.SEED + " " + size)
                .substring(0, 16);
    }

    /**
     * Why a stored database made with {@code stored} migrations cannot be brought to {@code current}
     * by applying the missing ones onto it, or null when it can: a migration it has changed or is
     * gone, or a missing one is older than its newest (Flyway applies in version order only).
     */
    static String regenerationReason(Map<String, String> stored, Map<String, String> current) {
        List<String> changed = stored.entrySet().stream()
                .filter(m -> !m.getValue().equals(current.get(m.getKey()))).map(Map.Entry::getKey).toList();
        if (!changed.isEmpty()) {
            return "the stored database was made with migrations that have changed or gone (" + String.join(", ", changed) + ")";
        }
        int newestStored = stored.keySet().stream().mapToInt(TimelineDatabase::version).max().orElse(0);
        List<String> older = current.keySet().stream()
                .filter(name -> !stored.containsKey(name) && version(name) < newestStored).toList();
        return older.isEmpty() ? null
                : "the stored database lacks migrations older than its newest (" + String.join(", ", older) + ")";
    }

    /** The version of a migration file ({@code V12__name.sql}: 12). */
    static int version(String migration) {
        return Integer.parseInt(migration.substring(1, migration.indexOf("__")));
    }

    /** Every migration's file name and the SHA-256 (hex) of its text. */
    static Map<String, String> migrationHashes(Path migrations) {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.list(migrations)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                hashes.put(file.getFileName().toString(), Hashes.sha256Hex(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the migrations in " + migrations, e);
        }
        return hashes;
    }

    private static EmbeddedPostgres start(Path dir) throws IOException {
        Files.createDirectories(dir);
        return EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("pgdata"))
                .setCleanDataDirectory(false)
                .setServerConfig("shared_buffers", "512MB")
                .setServerConfig("maintenance_work_mem", "512MB")
                .start();
    }

    private static BenchDataGenerator.Summary generate(EmbeddedPostgres postgres, TimelineDataSize size, PrintStream out)
            throws SQLException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection(); Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + DATABASE);
            statement.execute("create database " + DATABASE);
        }
        DataSource database = postgres.getDatabase(BenchPostgres.SUPERUSER, DATABASE);
        Migrations.migrate(database);
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            List<String[]> indexes = secondaryIndexes(connection);
            for (String[] index : indexes) {
                statement.execute("drop index " + index[0]);
            }
            // Fewer checkpoints while loading; back to the default (and its WAL trimmed) afterwards.
            statement.execute("alter system set max_wal_size = '4GB'");
            statement.execute("select pg_reload_conf()");
            long started = System.nanoTime();
            BenchDataGenerator.Summary summary = new BenchDataGenerator(size).load(connection);
            out.printf(Locale.ROOT, "  timeline data: %,d audit rows, %,d meetings, %,d e-mails copied in %.0f s%n",
                    summary.auditRows(), summary.meetings(), summary.emails(), (System.nanoTime() - started) / 1e9);
            started = System.nanoTime();
            for (String[] index : indexes) {
                statement.execute(index[1]);
            }
            out.printf(Locale.ROOT, "  timeline data: %d indexes built in %.0f s%n", indexes.size(),
                    (System.nanoTime() - started) / 1e9);
            started = System.nanoTime();
            // ANALYZE for the planner; VACUUM for the visibility map (index-only scans), then a checkpoint.
            statement.execute("vacuum (analyze) " + String.join(", ", TABLES));
            statement.execute("alter system reset max_wal_size");
            statement.execute("select pg_reload_conf()");
            statement.execute("checkpoint");
            statement.execute("checkpoint");
            out.printf(Locale.ROOT, "  timeline data: VACUUM (ANALYZE) and CHECKPOINT in %.0f s%n", (System.nanoTime() - started) / 1e9);
            return summary;
        }
    }

    /** [name, definition] of every index of the generated tables that backs no constraint. */
    private static List<String[]> secondaryIndexes(Connection connection) throws SQLException {
        List<String[]> indexes = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                       from pg_index i
                      where i.indrelid in ('calendar_events'::regclass, 'crm_emails'::regclass, 'audit_logs'::regclass)
                        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
                      order by 1""")) {
            while (rows.next()) {
                indexes.add(new String[]{rows.getString(1), rows.getString(2)});
            }
        }
        return indexes;
    }

    /** Removes the folders of this size's other fingerprints and a half-generated one of its own. */
    private static void removeOlder(Path root, String label, PrintStream out) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path old : dirs.filter(d -> d.getFileName().toString().startsWith(label + "-")).toList()) {
                out.println("  timeline data: removing " + old);
                deleteTree(old);
            }
        }
    }

    private static void requireSpace(Path root, TimelineDataSize size) throws IOException {
        Path existing = root.toAbsolutePath();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        FileStore store = Files.getFileStore(existing);
        long needed = size.estimatedDiskBytes();
        if (store.getUsableSpace() < needed) {
            throw new IllegalStateException("The timeline benchmark's database needs about " + gigabytes(needed)
                    + " free under " + root + "; there are " + gigabytes(store.getUsableSpace())
                    + ". Free some space (or run other suites: --only=...).");
        }
    }

    static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // a WAL segment recycled while we walk
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static String gigabytes(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
    }

    public Generation generation() {
        return generation;
    }

    public BenchDataGenerator.Summary summary() {
        return generation.summary();
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    /** Superuser connections, opened per call: for EXPLAIN and checks. */
    public DataSource unpooled() {
        return postgres.getDatabase(BenchPostgres.SUPERUSER, DATABASE);
    }

    /** The superuser's settings with the functions' pool size (what the local stack's functions get with DATABASE_URL). */
    public DatabaseSettings settings() {
        return pool.settings();
    }

    /** A HikariCP pool as a function builds it ({@link Databases#create}), created once. */
    public DataSource pool() {
        return pool.get();
    }

    /** The server settings that matter for reads, for the report. */
    public String describe() {
        return "PostgreSQL " + show("server_version") + " (embedded; shared_buffers=" + show("shared_buffers")
                + ", work_mem=" + show("work_mem") + ", random_page_cost=" + show("random_page_cost") + ")";
    }

    private String show(String setting) {
        return BenchPostgres.show(unpooled(), setting);
    }

    @Override
    public void close() {
        pool.close();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("The timeline benchmark's PostgreSQL did not stop cleanly", e);
        }
    }
}
