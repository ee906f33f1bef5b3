package dev.pipedesk.bench;

import static dev.pipedesk.bench.PerformanceReport.ms;
import static dev.pipedesk.bench.PerformanceReport.ms0;

import dev.pipedesk.bench.ColdStartBenchmark.FunctionResult;
import dev.pipedesk.bench.ColdStartBenchmark.Variant;
import java.util.List;
import java.util.Locale;

/** Section 7 of {@code docs/performance.md}: cold start per function against a bare handler. */
final class ColdStartSection {
    static final String HEADING = "## 7. Cold start";
    /** Issue 11's target: a function's cold start at most this many times its bare handler's. */
    static final double TARGET_RATIO = 3.0;

    private ColdStartSection() {
    }

    static List<PerformanceReport.Verdict> verdicts(ColdStartBenchmark.Result result) {
        List<FunctionResult> over = result.functions().stream().filter(f -> f.ratio() > TARGET_RATIO).toList();
        FunctionResult worst = result.functions().stream().max(java.util.Comparator.comparingDouble(FunctionResult::ratio)).orElseThrow();
        return List.of(new PerformanceReport.Verdict("Cold start <= 3x a bare handler doing the same work, every function "
                + "(fresh JVM, Lambda's flags, medians)",
                String.format(Locale.ROOT, "highest: %s %.1f× (%s vs %s ms); %d of %d functions over", worst.function(),
                        worst.ratio(), ms0(worst.medianMillis(Variant.REAL)), ms0(worst.medianMillis(Variant.BARE)),
                        over.size(), result.functions().size()),
                over.isEmpty()));
    }

    static void console(StringBuilder out, ColdStartBenchmark.Result result) {
        String nl = System.lineSeparator();
        out.append(nl).append("== Cold start: process start -> first answer (median of ").append(result.options().runs())
                .append(" fresh JVMs, ms) ==").append(nl);
        out.append(String.format(Locale.ROOT, "%-16s %9s %9s %7s", "function", "real", "bare", "ratio"));
        boolean aot = result.options().variants().contains(Variant.AOT);
        boolean lazy = result.options().variants().contains(Variant.LAZY);
        if (aot) {
            out.append(String.format(Locale.ROOT, " %9s %7s", "aot", "ratio"));
        }
        if (lazy) {
            out.append(String.format(Locale.ROOT, " %9s", "lazy"));
        }
        out.append(String.format(Locale.ROOT, " %17s %17s", "warm real p50/95", "warm bare p50/95")).append(nl);
        for (FunctionResult f : result.functions()) {
            out.append(String.format(Locale.ROOT, "%-16s %9s %9s %6.1fx", f.function(), ms0(f.medianMillis(Variant.REAL)),
                    ms0(f.medianMillis(Variant.BARE)), f.ratio()));
            if (aot) {
                out.append(String.format(Locale.ROOT, " %9s %6.1fx", ms0(f.medianMillis(Variant.AOT)), f.ratio(Variant.AOT)));
            }
            if (lazy) {
                out.append(String.format(Locale.ROOT, " %9s", ms0(f.medianMillis(Variant.LAZY))));
            }
            out.append(String.format(Locale.ROOT, " %17s %17s", warm(f, Variant.REAL), warm(f, Variant.BARE))).append(nl);
        }
        out.append(String.format(Locale.ROOT, "suite: %.1f min (services, set-up, AOT training included)%n",
                result.took().toMillis() / 60_000.0));
    }

    private static String warm(FunctionResult f, Variant variant) {
        Latencies warm = f.warm().get(variant);
        return warm == null ? "-" : ms(warm.p50()) + " / " + ms(warm.p95());
    }

    private static String range(FunctionResult f, Variant variant) {
        return ms0(f.minMillis(variant)) + "–" + ms0(f.maxMillis(variant));
    }

    static void append(StringBuilder md, ColdStartBenchmark.Result result) {
        ColdStartOptions options = result.options();
        boolean aot = options.variants().contains(Variant.AOT);
        boolean lazy = options.variants().contains(Variant.LAZY);
        md.append(HEADING).append("\n\n");
        md.append("**Method.** `./pipedesk bench --only=coldstart` (`ColdStartBenchmark`). Per function, a fresh JVM started "
                + "by the local stack's own function host (`FunctionProcess`: `-XX:+UseSerialGC -XX:TieredStopAtLevel=1` "
                + "(tiered compilation on, stopped at C1, as Lambda's Java runtime does), default class data sharing, `-Xmx` 85% of the "
                + "1,024 MB memory size capped at 384 MB), the function's own `target/lambda/lib/*` and its local-stack "
                + "environment, against the local services (embedded PostgreSQL, ElasticMQ, the DynamoDB emulator, the "
                + "Google Calendar emulator; started once, with no function of the stack's own). *Cold* is from just before "
                + "the process is started until the first invocation of the function's representative request has answered "
                + "(JVM start, handler construction, the first invocation); *init* is the part until the handler is "
                + "constructed. The **bare handler** per function is a plain `RequestStreamHandler` (`BareHandler`, "
                + "aws-lambda-java-core only, in `bench/`, not deployed) that builds the same service objects as the "
                + "function's Spring application, with constructors, from the same environment, and renders the shell's "
                + "output; it runs in the same host with the same flags on the function's jars minus those only Spring Cloud "
                + "Function needs (Spring, Reactor core, Micrometer, SnakeYAML, Logback and the logging bridges; Reactive Streams stays, the AWS SDK needs it). Every variant's "
                + "first answer must equal the real function's (as JSON) or the run fails. ")
                .append(options.runs()).append(" interleaved rounds (each round starts every variant of every function once, "
                        + "rotating which goes first); medians with min–max. The last round's real and bare instances then "
                        + "answer ").append(options.warm()).append(" more invocations one after the other (warm p50/p95, client "
                        + "side through the host's loopback HTTP, about 0.3 ms of it). The whole suite took ")
                .append(String.format(Locale.ROOT, "%.1f", result.took().toMillis() / 60_000.0))
                .append(" minutes (services, data set-up and AOT training included); load average ").append(result.load())
                .append(".\n\n");
        md.append("| Function | Request | Jars real / bare | Cold real (median, min–max) | Init real | Cold bare (median, min–max) | "
                + "Init bare | **Real / bare** | Warm real p50 / p95 | Warm bare p50 / p95 |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FunctionResult f : result.functions()) {
            md.append("| ").append(f.function()).append(" | ").append(f.request()).append(" | ")
                    .append(f.jars().get(Variant.REAL)).append(" / ").append(f.jars().get(Variant.BARE)).append(" | ")
                    .append(ms0(f.medianMillis(Variant.REAL))).append(" (").append(range(f, Variant.REAL)).append(") | ")
                    .append(ms0(f.readyMedianMillis(Variant.REAL))).append(" | ")
                    .append(ms0(f.medianMillis(Variant.BARE))).append(" (").append(range(f, Variant.BARE)).append(") | ")
                    .append(ms0(f.readyMedianMillis(Variant.BARE))).append(" | **")
                    .append(String.format(Locale.ROOT, "%.1f×", f.ratio())).append("** | ")
                    .append(warm(f, Variant.REAL)).append(" | ").append(warm(f, Variant.BARE)).append(" |\n");
        }
        md.append("\nTimes in ms.\n\n");
        if (aot || lazy) {
            md.append("**What was tried on the real function** (same rounds, same machine; ratio to the same bare median):\n\n");
            md.append("| Function | Real | ");
            if (aot) {
                md.append("AOT cache (median, min–max) | Real+AOT / bare | AOT cache size | ");
            }
            if (lazy) {
                md.append("Lazy init (median, min–max) | ");
            }
            md.append("\n|---|---:|");
            md.append(aot ? "---:|---:|---:|" : "").append(lazy ? "---:|" : "").append('\n');
            for (FunctionResult f : result.functions()) {
                md.append("| ").append(f.function()).append(" | ").append(ms0(f.medianMillis(Variant.REAL))).append(" | ");
                if (aot) {
                    md.append(ms0(f.medianMillis(Variant.AOT))).append(" (").append(range(f, Variant.AOT)).append(") | ")
                            .append(String.format(Locale.ROOT, "%.1f×", f.ratio(Variant.AOT))).append(" | ")
                            .append(String.format(Locale.ROOT, "%,d MB", f.aotCache() / (1024 * 1024))).append(" | ");
                }
                if (lazy) {
                    md.append(ms0(f.medianMillis(Variant.LAZY))).append(" (").append(range(f, Variant.LAZY)).append(") | ");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        md.append(ColdStartFindings.text(result));
    }
}
