package dev.pipedesk.bench;

import dev.pipedesk.local.LocalFunctions;
import dev.pipedesk.local.LocalStackOptions;
import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.FunctionProcess;
import dev.pipedesk.local.lambda.FunctionSpec;
import dev.pipedesk.local.lambda.LogSink;
import dev.pipedesk.sync.SyncSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Cold start per function (issue 11, §3): each deployable function but db-migrate, started in a fresh JVM by
 * the local stack's own function host ({@link FunctionProcess}: Lambda's flags {@code -XX:+UseSerialGC
 * -XX:TieredStopAtLevel=1}, the heap from the memory size, the function's {@code target/lambda/lib} classpath
 * and its local-stack environment), timed from before the process is started until the first invocation of
 * the function's representative request ({@link ColdStartFixtures}) has answered. The same for a bare handler
 * per function ({@link BareHandler}: the same service objects built with constructors, no Spring) on the
 * function's jars minus Spring's and Spring Boot's. The services are the local stack's (embedded PostgreSQL,
 * ElasticMQ, the DynamoDB emulator, the Google Calendar emulator), started once with no function of its own.
 *
 * <p>Rounds interleave: each round starts every variant of every function once, rotating which variant goes
 * first. The last round's real and bare instances then answer {@code warm} more invocations (warm p50/p95).
 * Every variant's first answer must equal the real function's (as JSON), or the run fails. Besides real and
 * bare it measures what runs here to shorten a cold start: JDK 25's AOT cache (a training run records, a
 * second JVM creates the cache, then cold starts use it; given to the JVM as {@code JAVA_TOOL_OPTIONS}, as
 * the Lambda configuration would) and Spring's lazy initialisation ({@code SPRING_MAIN_LAZY_INITIALIZATION}).
 */
public final class ColdStartBenchmark {
    /** Jars the function needs only for Spring Cloud Function: left out of a bare handler's classpath. */
    static final List<String> SPRING_ONLY_JARS = List.of("spring-", "reactor-core-", "micrometer-",
            "snakeyaml-", "logback-", "jul-to-slf4j-", "log4j-to-slf4j-", "log4j-api-");
    static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
    /** Invocations of the AOT cache's training run (the first is its cold start). */
    static final int AOT_TRAINING_INVOCATIONS = 20;

    /** What is started. */
    public enum Variant {
        REAL("real", "the function as deployed: FunctionInvoker, Spring Cloud Function"),
        BARE("bare", "bare RequestStreamHandler, same objects, no Spring"),
        AOT("aot", "the function with a JDK 25 AOT cache (-XX:AOTCache, trained on the request)"),
        LAZY("lazy", "the function with SPRING_MAIN_LAZY_INITIALIZATION=true");

        private final String option;
        private final String description;

        Variant(String option, String description) {
            this.option = option;
            this.description = description;
        }

        public String option() {
            return option;
        }

        public String description() {
            return description;
        }

        static Variant parse(String value) {
            return Stream.of(values()).filter(v -> v.option.equals(value)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--coldstart-variants takes real, bare, aot, lazy; got " + value));
        }
    }

    /**
     * One cold start.
     *
     * @param totalNanos process start → first answer
     * @param readyNanos process start → handler constructed (JVM start + init; the rest is the first invocation)
     */
    public record Cold(long totalNanos, long readyNanos) {
    }

    /**
     * One function's results.
     *
     * @param cold     the cold starts per variant, in run order
     * @param warm     warm invocations (client side, through the host) of the real function and the bare handler
     * @param jars     jars on the classpath per variant (real: the function's {@code lib/})
     * @param aotCache the AOT cache's size in bytes (0 when not made)
     */
    public record FunctionResult(String function, String request, Map<Variant, List<Cold>> cold, Map<Variant, Latencies> warm,
                                 Map<Variant, Integer> jars, long aotCache) {
        public double medianMillis(Variant variant) {
            return percentile(variant, 50, Cold::totalNanos);
        }

        public double readyMedianMillis(Variant variant) {
            return percentile(variant, 50, Cold::readyNanos);
        }

        public double minMillis(Variant variant) {
            return percentile(variant, 0, Cold::totalNanos);
        }

        public double maxMillis(Variant variant) {
            return percentile(variant, 100, Cold::totalNanos);
        }

        /** Real cold median / bare cold median. */
        public double ratio() {
            return medianMillis(Variant.REAL) / medianMillis(Variant.BARE);
        }

        public double ratio(Variant variant) {
            return medianMillis(variant) / medianMillis(Variant.BARE);
        }

        private double percentile(Variant variant, double p, java.util.function.ToLongFunction<Cold> value) {
            long[] sorted = cold.getOrDefault(variant, List.of()).stream().mapToLong(value).sorted().toArray();
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = p == 50 ? sorted.length / 2 : (int) Math.round(p / 100 * (sorted.length - 1));
            return sorted[index] / 1e6;
        }
    }

    /** The suite's results; {@code took} is its wall time, services included. */
    public record Result(ColdStartOptions options, List<FunctionResult> functions, Duration took, Machine.Load load) {
    }

    private final Path repoRoot;
    private final Path logDir;
    private final PrintStream out;

    public ColdStartBenchmark(Path repoRoot, Path logDir, PrintStream out) {
        this.repoRoot = Objects.requireNonNull(repoRoot, "repoRoot");
        this.logDir = Objects.requireNonNull(logDir, "logDir");
        this.out = Objects.requireNonNull(out, "out");
    }

    public Result run(ColdStartOptions options) throws Exception {
        long started = System.nanoTime();
        for (String name : options.functions()) {
            LocalFunctions.Definition function = LocalFunctions.named(name).orElseThrow();
            if (!function.isBuilt(repoRoot)) {
                throw new IllegalStateException("The " + name + " function is not built (" + repoRoot.relativize(
                        function.lambdaLib(repoRoot)) + "); run ./pipedesk build");
            }
        }
        try (BenchStack stack = BenchStack.start(repoRoot, logDir.resolve("local-stack"), out, o -> o
                .withFunctions(LocalStackOptions.FunctionSelection.NONE)
                .withScheduleRate(Duration.ZERO)
                // a channel's backstop sync request is not due during the run: every renewal run does the same work
                .withFunctionEnvironment(LocalFunctions.CHANNEL_RENEWAL.name(),
                        Map.of(SyncSettings.Variable.SYNC_BACKSTOP_SECONDS.name(), "86400")))) {
            ColdStartFixtures data = new ColdStartFixtures(repoRoot, stack.stack());
            Map<String, ColdStartFixtures.Fixture> fixtures = data.prepare(options.functions(), (function, events) ->
                    setupRun(spec(stack, function, null, Variant.REAL, Map.of()), events));
            out.println("  data in place (" + ColdStartFixtures.MEETINGS + " meetings in Google and mirrored, a channel, "
                    + ColdStartFixtures.TIMELINE_ENTRIES + " audit entries of a deal)");

            Map<String, Path> aotCaches = new LinkedHashMap<>();
            if (options.variants().contains(Variant.AOT)) {
                for (ColdStartFixtures.Fixture fixture : fixtures.values()) {
                    aotCaches.put(fixture.function().name(), trainAotCache(stack, fixture));
                }
            }
            Machine.Load load = Machine.Load.start();
            Map<String, Map<Variant, List<Cold>>> cold = new LinkedHashMap<>();
            Map<String, Map<Variant, Latencies>> warm = new LinkedHashMap<>();
            Map<String, Map<Variant, JsonNode>> answers = new LinkedHashMap<>();
            List<Variant> variants = options.variants();
            for (int round = 0; round < options.runs(); round++) {
                boolean last = round == options.runs() - 1;
                for (ColdStartFixtures.Fixture fixture : fixtures.values()) {
                    String name = fixture.function().name();
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  round %d, %-15s", round + 1, name));
                    for (int turn = 0; turn < variants.size(); turn++) {
                        Variant variant = variants.get((turn + round) % variants.size());
                        int warmCount = last && (variant == Variant.REAL || variant == Variant.BARE) ? options.warm() : 0;
                        Measured measured = measure(spec(stack, fixture.function(), fixture, variant,
                                aotEnvironment(variant, aotCaches.get(name))), fixture, warmCount);
                        cold.computeIfAbsent(name, k -> new EnumMap<>(Variant.class)).computeIfAbsent(variant,
                                k -> new ArrayList<>()).add(measured.cold());
                        if (measured.warm() != null) {
                            warm.computeIfAbsent(name, k -> new EnumMap<>(Variant.class)).put(variant, measured.warm());
                        }
                        answers.computeIfAbsent(name, k -> new EnumMap<>(Variant.class)).putIfAbsent(variant,
                                ColdStartFixtures.parse(measured.firstAnswer()));
                        line.append(String.format(Locale.ROOT, " %s %,d ms", variant.option(), measured.cold().totalNanos() / 1_000_000));
                    }
                    out.println(line);
                    requireSameAnswers(name, answers.get(name));
                }
            }
            List<FunctionResult> results = new ArrayList<>();
            for (ColdStartFixtures.Fixture fixture : fixtures.values()) {
                String name = fixture.function().name();
                Map<Variant, Integer> jars = new EnumMap<>(Variant.class);
                jars.put(Variant.REAL, realJars(fixture.function()).size());
                jars.put(Variant.BARE, bareJars(fixture.function()).size());
                Path cache = aotCaches.get(name);
                results.add(new FunctionResult(name, fixture.request(), cold.get(name),
                        warm.getOrDefault(name, Map.of()), jars, cache == null ? 0 : Files.size(cache)));
            }
            return new Result(options, results, Duration.ofNanos(System.nanoTime() - started), load.end());
        }
    }

    /** Every variant answered the fixture as the real function did. */
    static void requireSameAnswers(String function, Map<Variant, JsonNode> answers) {
        JsonNode real = answers.get(Variant.REAL);
        answers.forEach((variant, answer) -> {
            if (!answer.equals(real)) {
                throw new IllegalStateException("The " + variant.option() + " " + function + " answered differently from the "
                        + "real function:\n  real: " + real + "\n  " + variant.option() + ": " + answer);
            }
        });
    }

    private record Measured(Cold cold, String firstAnswer, Latencies warm) {
    }

    /** One fresh instance: its cold start, then {@code warmCount} more invocations. */
    private Measured measure(FunctionSpec spec, ColdStartFixtures.Fixture fixture, int warmCount) throws Exception {
        String event = fixture.event().get();
        long start = System.nanoTime();
        FunctionProcess process = FunctionProcess.start(spec, LogSink.file(spec.name(), logDir));
        try {
            long ready = System.nanoTime();
            String answer = process.invoke(event);
            long end = System.nanoTime();
            Latencies warm = null;
            if (warmCount > 0) {
                long[] samples = new long[warmCount];
                for (int i = 0; i < warmCount; i++) {
                    String next = fixture.event().get();
                    long t = System.nanoTime();
                    process.invoke(next);
                    samples[i] = System.nanoTime() - t;
                }
                warm = Latencies.of(samples);
            }
            return new Measured(new Cold(end - start, ready - start), answer, warm);
        } finally {
            process.close();
        }
    }

    /** The real function on these events, once (data set-up). */
    private List<String> setupRun(FunctionSpec spec, List<String> events) throws Exception {
        FunctionProcess process = FunctionProcess.start(spec.withEnvironment(spec.environment()), LogSink.file(spec.name() + "-setup", logDir));
        try {
            List<String> answers = new ArrayList<>();
            for (String event : events) {
                answers.add(process.invoke(event));
            }
            return answers;
        } finally {
            process.close();
        }
    }

    /**
     * JDK 25's AOT cache for the function: a training run ({@code -XX:AOTMode=record}) answering the request
     * {@value #AOT_TRAINING_INVOCATIONS} times, then a JVM that only creates the cache ({@code -XX:AOTMode=create};
     * it exits at once, so the host reports it as a failed start). Both through the same host, so the classpath
     * and flags are those of the measured starts, as the cache requires.
     */
    private Path trainAotCache(BenchStack stack, ColdStartFixtures.Fixture fixture) throws Exception {
        Path dir = Files.createDirectories(logDir.resolve("aot"));
        String name = fixture.function().name();
        Path config = dir.resolve(name + ".aotconf");
        Path cache = dir.resolve(name + ".aot");
        Files.deleteIfExists(config);
        Files.deleteIfExists(cache);
        long started = System.nanoTime();
        FunctionProcess training = FunctionProcess.start(spec(stack, fixture.function(), fixture, Variant.REAL, Map.of(
                JAVA_TOOL_OPTIONS, "-XX:AOTMode=record -XX:AOTConfiguration=" + config)), LogSink.file(name + "-aot-training", logDir));
        try {
            for (int i = 0; i < AOT_TRAINING_INVOCATIONS; i++) {
                training.invoke(fixture.event().get());
            }
            // The configuration is written as the JVM exits (SIGTERM included), which can take longer than the
            // host's grace period for a stop: stop it here and wait.
            ProcessHandle.of(training.pid()).ifPresent(process -> {
                process.destroy();
                process.onExit().orTimeout(120, java.util.concurrent.TimeUnit.SECONDS).join();
            });
        } finally {
            training.close();
        }
        if (!Files.exists(config)) {
            throw new IllegalStateException("The AOT training run of " + name + " wrote no " + config);
        }
        try {
            FunctionProcess.start(spec(stack, fixture.function(), fixture, Variant.REAL, Map.of(JAVA_TOOL_OPTIONS,
                    "-XX:AOTMode=create -XX:AOTConfiguration=" + config + " -XX:AOTCache=" + cache)),
                    LogSink.file(name + "-aot-create", logDir)).close();
        } catch (FunctionInvocationException.Unavailable expected) {
            // the create step exits without serving: expected
        }
        if (!Files.exists(cache)) {
            throw new IllegalStateException("No AOT cache was created for " + name + " (see " + logDir.resolve(name + "-aot-create.log") + ")");
        }
        out.printf("  AOT cache of %s: %,d MB, trained and created in %.1f s%n", name, Files.size(cache) / (1024 * 1024),
                (System.nanoTime() - started) / 1e9);
        return cache;
    }

    private static Map<String, String> aotEnvironment(Variant variant, Path cache) {
        return switch (variant) {
            case AOT -> Map.of(JAVA_TOOL_OPTIONS, "-XX:AOTCache=" + cache);
            case LAZY -> Map.of("SPRING_MAIN_LAZY_INITIALIZATION", "true");
            case REAL, BARE -> Map.of();
        };
    }

    /** How the host starts this variant of the function: the real one as the local stack does, the bare one on its own classpath. */
    private FunctionSpec spec(BenchStack stack, LocalFunctions.Definition function, ColdStartFixtures.Fixture fixture,
                              Variant variant, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(stack.stack().functionEnvironment(function));
        env.putAll(extra);
        if (variant == Variant.BARE) {
            List<String> classpath = new ArrayList<>(bareJars(function).stream().map(Path::toString).toList());
            classpath.add(benchClasses().toString());
            return new FunctionSpec(function.name() + "-bare", classpath, fixture.bareHandler(), env,
                    FunctionSpec.DEFAULT_TIMEOUT, FunctionSpec.DEFAULT_MEMORY_MB, FunctionSpec.DEFAULT_START_TIMEOUT);
        }
        FunctionSpec spec = FunctionSpec.springFunction(function.name(), function.lambdaLib(repoRoot), function.mainClass(), env);
        return variant == Variant.REAL && extra.isEmpty() ? spec
                : new FunctionSpec(function.name() + (variant == Variant.REAL ? "" : "-" + variant.option()), spec.classpath(),
                        spec.handlerClass(), spec.environment(), spec.timeout(), spec.memoryMb(), spec.startTimeout());
    }

    /** The function's {@code lib/} jars. */
    List<Path> realJars(LocalFunctions.Definition function) {
        try (Stream<Path> jars = Files.list(function.lambdaLib(repoRoot))) {
            return jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The function's jars minus those only Spring Cloud Function needs ({@link #SPRING_ONLY_JARS}). */
    List<Path> bareJars(LocalFunctions.Definition function) {
        return realJars(function).stream()
                .filter(jar -> SPRING_ONLY_JARS.stream().noneMatch(prefix -> jar.getFileName().toString().startsWith(prefix)))
                .toList();
    }

    /** Where the bare handlers' classes are ({@code bench/target/classes}). */
    static Path benchClasses() {
        try {
            return Path.of(BareHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
