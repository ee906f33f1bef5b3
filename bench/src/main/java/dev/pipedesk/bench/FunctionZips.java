package dev.pipedesk.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code ./pipedesk bench --only=zips}: what each function deploys. Every {@code functions/<name>/target/lambda} folder
 * zipped the way a CDK directory asset is (every file under the folder, deflated at the default level, sorted, fixed
 * timestamps), counted, not written; with its jar count and largest jars. Fast (a few seconds), no services. Writes the
 * "Function zips" section of {@code docs/performance.md}, with the sizes before the trim ({@link #BEFORE}) beside them.
 */
public final class FunctionZips {
    /** The section's heading (unnumbered: a run of this suite alone replaces just it). */
    static final String HEADING = "## Function zips";
    /** Jars named in the table per function. */
    static final int LARGEST = 3;
    private static final FileTime FIXED_TIME = FileTime.fromMillis(315_532_800_000L); // 1980-01-01, as zip tools pin it

    private FunctionZips() {
    }

    /** One jar of a function's {@code lib/}. */
    public record Jar(String name, long bytes) {
    }

    /**
     * One function's deployment folder.
     *
     * @param zipBytes      the folder deflated as CDK uploads it
     * @param unzippedBytes the files' total size (Lambda's 250 MB limit applies to this)
     * @param jars          the jars in {@code lib/}, largest first
     */
    public record FunctionZip(String function, long zipBytes, long unzippedBytes, List<Jar> jars) {
        public FunctionZip {
            jars = List.copyOf(jars);
        }

        public List<Jar> largest(int count) {
            return jars.subList(0, Math.min(count, jars.size()));
        }
    }

    /** Zip size and jar count of one function, as recorded. */
    record Size(long zipBytes, int jars) {
    }

    /**
     * Before the trim (issue 11, section 3): each function's folder as built from the commit that started it
     * ({@code 7c6ed20}), measured by this class.
     */
    static final Map<String, Size> BEFORE = before();

    private static Map<String, Size> before() {
        Map<String, Size> before = new LinkedHashMap<>();
        before.put("audit-writer", new Size(26_429_426, 77));
        before.put("authorizer", new Size(24_664_529, 53));
        before.put("calendar", new Size(37_829_157, 111));
        before.put("calendar-sync", new Size(32_814_730, 103));
        before.put("channel-renewal", new Size(32_816_109, 103));
        before.put("db-migrate", new Size(21_924_795, 50));
        before.put("timeline", new Size(32_792_703, 86));
        before.put("webhook", new Size(37_765_394, 111));
        return Map.copyOf(before);
    }

    /** Every {@code functions/<name>/} with a {@code pom.xml}, by name; empty when it is not built. */
    public static Map<String, Optional<FunctionZip>> measure(Path repoRoot) throws IOException {
        Map<String, Optional<FunctionZip>> zips = new LinkedHashMap<>();
        List<Path> functions;
        try (Stream<Path> dirs = Files.list(repoRoot.resolve("functions"))) {
            functions = dirs.filter(dir -> Files.isRegularFile(dir.resolve("pom.xml"))).sorted().toList();
        }
        for (Path function : functions) {
            Path folder = function.resolve("target").resolve("lambda");
            String name = function.getFileName().toString();
            zips.put(name, Files.isDirectory(folder.resolve("lib")) ? Optional.of(measure(name, folder)) : Optional.empty());
        }
        return zips;
    }

    /** One deployment folder: zipped into a counter, its jars listed. */
    static FunctionZip measure(String function, Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        CountingOutputStream counter = new CountingOutputStream();
        long unzipped = 0;
        List<Jar> jars = new ArrayList<>();
        try (ZipOutputStream zip = new ZipOutputStream(counter)) {
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            for (Path file : files) {
                String entryName = folder.relativize(file).toString().replace('\\', '/');
                ZipEntry entry = new ZipEntry(entryName);
                entry.setLastModifiedTime(FIXED_TIME);
                zip.putNextEntry(entry);
                long size = Files.copy(file, zip);
                zip.closeEntry();
                unzipped += size;
                if (entryName.startsWith("lib/") && entryName.endsWith(".jar")) {
                    jars.add(new Jar(file.getFileName().toString(), size));
                }
            }
        }
        jars.sort(Comparator.comparingLong(Jar::bytes).reversed().thenComparing(Jar::name));
        return new FunctionZip(function, counter.count, unzipped, jars);
    }

    // --- report ---------------------------------------------------------------------------------

    public static String console(Map<String, Optional<FunctionZip>> zips) {
        StringBuilder out = new StringBuilder();
        out.append(System.lineSeparator()).append("== Function zips (what CDK uploads per function) ==")
                .append(System.lineSeparator());
        out.append(String.format(Locale.ROOT, "%-16s %10s %10s %11s %6s  %s%n", "function", "zip before", "zip now",
                "jars before", "now", "largest jars (MB)"));
        zips.forEach((function, zip) -> {
            Size before = BEFORE.get(function);
            out.append(String.format(Locale.ROOT, "%-16s %10s %10s %11s %6s  %s%n", function,
                    before == null ? "-" : mb(before.zipBytes()), zip.map(z -> mb(z.zipBytes())).orElse("not built"),
                    before == null ? "-" : Integer.toString(before.jars()),
                    zip.map(z -> Integer.toString(z.jars().size())).orElse("-"),
                    zip.map(z -> largest(z, false)).orElse("")));
        });
        return out.toString();
    }

    public static String markdown(Map<String, Optional<FunctionZip>> zips) {
        StringBuilder md = new StringBuilder();
        md.append(HEADING).append("\n\n");
        md.append("**Method.** What CDK uploads for each function: its `functions/<name>/target/lambda` folder (`lib/`, the "
                + "function's jar and every runtime dependency: the Lambda Java zip layout) zipped as a CDK directory "
                + "asset is, every file deflated at the default level, measured by `./pipedesk bench --only=zips` (no "
                + "services, a few seconds; it needs the functions built). *Before*: the folders built from the commit "
                + "issue 11's trim started from, measured the same way. MB are 10⁶ bytes. Lambda's limits: 50 MB zipped "
                + "for a direct upload (CDK uploads through S3, so it does not apply), 250 MB unzipped.\n\n");
        md.append("| Function | Zip before | Zip now | Jars before | Jars now | Unzipped now | Largest jars now |\n"
                + "|---|---:|---:|---:|---:|---:|---|\n");
        long beforeTotal = 0;
        long nowTotal = 0;
        for (Map.Entry<String, Optional<FunctionZip>> entry : zips.entrySet()) {
            String function = entry.getKey();
            Size before = BEFORE.get(function);
            Optional<FunctionZip> zip = entry.getValue();
            md.append("| ").append(function).append(" | ")
                    .append(before == null ? "–" : mb(before.zipBytes()) + " MB").append(" | ")
                    .append(zip.map(z -> "**" + mb(z.zipBytes()) + " MB**").orElse("not built")).append(" | ")
                    .append(before == null ? "–" : Integer.toString(before.jars())).append(" | ")
                    .append(zip.map(z -> "**" + z.jars().size() + "**").orElse("–")).append(" | ")
                    .append(zip.map(z -> mb(z.unzippedBytes()) + " MB").orElse("–")).append(" | ")
                    .append(zip.map(z -> largest(z, true)).orElse("")).append(" |\n");
            if (before != null && zip.isPresent()) {
                beforeTotal += before.zipBytes();
                nowTotal += zip.get().zipBytes();
            }
        }
        if (beforeTotal > 0) {
            md.append("\nAll functions together: ").append(mb(beforeTotal)).append(" MB before, ").append(mb(nowTotal))
                    .append(" MB now (").append(String.format(Locale.ROOT, "%+.0f%%", (nowTotal - beforeTotal) * 100.0 / beforeTotal))
                    .append(").\n");
        }
        md.append("\n").append(WHAT_WENT);
        return md.toString();
    }

    /** What the trim took out, and what stays on purpose (kept with the code that measures it). */
    static final String WHAT_WENT = """
            **What each zip carries.** The build guards it: `functions/pom.xml` bans (maven-enforcer-plugin, \
            `bannedDependencies`, checked before anything compiles) what no function may ship, and each function's `pom.xml` \
            adds what that function never uses; a banned jar fails the build with the reason. What went:

            - **JWT verification outside the authorizer** (java-jwt, jwks-rsa, and with them Jackson 2 and, where no Google \
            client needs it, Guava): the API functions and the webhook need only the route table, roles, principal and route \
            policy, now in `libs/access` (package `dev.pipedesk.auth`, as before); `libs/auth` keeps token verification \
            and depends on it.
            - **The SQS client where nothing is sent**: the audit-writer receives its queue through the event source mapping \
            and only validates and inserts; the authorizer, timeline and db-migrate never had it. It stays where something \
            is sent: the outbox (calendar, calendar-sync, channel-renewal) and the webhook (the sync queue).

            What came back: the AWS SDK's core (about 28 jars, 4–5 MB zipped, the url-connection HTTP client only) with the \
            Secrets Manager client in the audit-writer, the authorizer and db-migrate, the three functions that had no AWS \
            client before: each reads a secret by ARN in AWS (`DATABASE_SECRET_ARN`, `JWT_HS256_SECRET_ARN`; \
            `docs/security.md`). The other way to read a secret without the SDK is the Lambda extension for Parameters and \
            Secrets (a layer with its own process and start-up time); the SDK client, built at the first read, keeps the \
            functions free of layers.
            - **Spring Boot's web bits** Spring Cloud Function's context drags in (`spring-boot-web-server`, \
            `spring-boot-restclient`, `spring-boot-http-client`, `spring-boot-http-converter`) and SnakeYAML: no function \
            serves HTTP, calls with `RestClient` or reads YAML configuration. `spring-web` itself stays: the adapter's \
            `FunctionInvoker` and the function registry use its `HttpHeaders`/`HttpStatus`; with it Micrometer's \
            observation API, which `spring-web` and `spring-context` link against.
            - **Guava in the authorizer**: jwks-rsa uses it only for its Guava-cached key provider; `JwksKeys` caches the \
            keys itself (Guava stays where Google's auth library needs it: calendar, calendar-sync, channel-renewal, webhook).
            - **Apache HttpClient 4** (with `google-http-client-apache-v2`, HttpCore and Commons Codec) under Google's \
            client: PipeDesk calls Google through `java.net` (`NetHttpTransport`). HttpClient 4 came back on 2026-12-02 \
            (stop 17) as the SDK's Apache client, for the rate limiter's DynamoDB client only (calendar, timeline, \
            webhook): the url-connection client waited 1 ms before every reused `POST` (section 4; the Apache client \
            does so only on a connection idle for 2 s or more).
            - **Flyway** is only in db-migrate (it never was elsewhere); **DynamoDB** only where a rate limit is read \
            (calendar, timeline, webhook); **Google's client** only where Google is called.

            Kept on purpose: Jackson 3 is the one JSON library of PipeDesk's own code (Jackson 2 remains in the authorizer \
            only, for java-jwt; Gson in the Google functions, for Google's client; the AWS SDK and the Lambda event \
            serializer shade their own); Joda-Time and `jackson-datatype-joda` (Spring Cloud Function registers the Joda \
            module whenever it builds its JSON mapper, and `aws-lambda-java-events` links against Joda); Reactor (Spring \
            Cloud Function's function registry is built on it); the Lambda event serializer (`aws-lambda-java-serialization`, \
            the shells read events with the runtime's own serializer); the logging libraries. That serializer is the largest jar \
            of every zip (3.7 MB unzipped: shaded Jackson 2, Joda-Time, Gson and org.json); reading the four event types the \
            shells take with PipeDesk's Jackson 3 instead would take it out of every zip, a change of the shells, not of the \
            dependencies.
            """;

    private static String largest(FunctionZip zip, boolean markdown) {
        return String.join(", ", zip.largest(LARGEST).stream()
                .map(jar -> (markdown ? "`" + jar.name() + "`" : jar.name()) + " " + mb(jar.bytes())).toList());
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    /** Counts the bytes written to it (the zip is measured, not stored). */
    private static final class CountingOutputStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
