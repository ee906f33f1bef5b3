package dev.pipedesk.bench;

import static dev.pipedesk.bench.PerformanceReport.ms0;

import dev.pipedesk.bench.ColdStartBenchmark.FunctionResult;
import dev.pipedesk.bench.ColdStartBenchmark.Variant;
import java.util.List;
import java.util.Locale;

/** The cold-start section's findings: the verdict against ≤ 3×, what the tried options did, the targets to set. */
final class ColdStartFindings {
    private ColdStartFindings() {
    }

    static String text(ColdStartBenchmark.Result result) {
        StringBuilder md = new StringBuilder();
        List<FunctionResult> functions = result.functions();
        List<FunctionResult> over = functions.stream().filter(f -> f.ratio() > ColdStartSection.TARGET_RATIO).toList();
        md.append("**Verdict against ≤ 3×.** ");
        if (over.isEmpty()) {
            md.append("Met by every function measured.");
        } else {
            md.append(over.size()).append(" of ").append(functions.size()).append(" functions over: ")
                    .append(String.join(", ", over.stream().map(f -> String.format(Locale.ROOT, "%s %.1f×", f.function(),
                            f.ratio())).toList())).append('.');
        }
        double spring = functions.stream().mapToDouble(f -> f.readyMedianMillis(Variant.REAL) - f.readyMedianMillis(Variant.BARE))
                .sorted().skip(functions.size() / 2).findFirst().orElse(Double.NaN);
        md.append(" The difference is almost all in *init* (median across functions ").append(ms0(spring))
                .append(" ms more than the bare handler's): starting Spring Boot and Spring Cloud Function's catalog, "
                        + "`FunctionInvoker`'s own set-up and the classes they load, before any PipeDesk code runs; the first "
                        + "invocation itself costs about the same in both. The bare handler is the floor for this code on "
                        + "this JVM: its cold start is JVM start plus PipeDesk's own objects (JDBC pool, SDK clients, JSON "
                        + "mappers, Google's client). The issue's baseline for the authorizer (1.6–1.8 s vs 0.34–0.44 s, 4.3×) timed a "
                        + "bare handler started without the function host; here both run in the same host (its HTTP server "
                        + "and Lambda context), which adds the same few hundred milliseconds to both.\n\n");
        if (result.options().variants().contains(Variant.AOT)) {
            double aotGain = functions.stream().mapToDouble(f -> 1 - f.medianMillis(Variant.AOT) / f.medianMillis(Variant.REAL))
                    .sorted().skip(functions.size() / 2).findFirst().orElse(Double.NaN);
            long underWithAot = functions.stream().filter(f -> f.ratio(Variant.AOT) <= ColdStartSection.TARGET_RATIO).count();
            md.append(String.format(Locale.ROOT, "**AOT cache (JDK 25, JEP 483/514).** A training run answers the request %d "
                    + "times with `-XX:AOTMode=record`, a second JVM creates the cache (`-XX:AOTMode=create`), the measured "
                    + "starts use it (`JAVA_TOOL_OPTIONS=-XX:AOTCache=<file>`): classes come loaded and linked from the "
                    + "cache. Median gain %.0f%% of the real cold start; with it %d of %d functions are within 3× of the bare "
                    + "handler without one. It is a local option only: the cache is specific to the JVM build, the CPU "
                    + "architecture and the exact classpath, so one made here cannot serve Lambda's arm64 `java25` runtime, "
                    + "and on Lambda it would have to be trained and created on that runtime at build time. SnapStart, which "
                    + "restores a snapshot of the initialised JVM, removes the same init cost and more in AWS (issue 11, §1 "
                    + "and the functions' CRaC priming); that is what the CDK app uses.%n%n",
                    ColdStartBenchmark.AOT_TRAINING_INVOCATIONS, aotGain * 100, underWithAot, functions.size()));
        }
        if (result.options().variants().contains(Variant.LAZY)) {
            double lazyGain = functions.stream().mapToDouble(f -> 1 - f.medianMillis(Variant.LAZY) / f.medianMillis(Variant.REAL))
                    .sorted().skip(functions.size() / 2).findFirst().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "**Lazy initialisation** (`SPRING_MAIN_LAZY_INITIALIZATION=true`): median "
                    + "change %+.0f%% of the real cold start. The functions' contexts hold one bean each (the function; "
                    + "nothing is scanned, only the function catalog is auto-configured), and the first invocation needs "
                    + "that bean, so there is little to defer: within the noise, not adopted.%n%n", -lazyGain * 100));
        }
        md.append("**Also considered.** *Spring AOT* (`process-aot`): it generates bean definitions for a Spring Boot "
                + "application started by `SpringApplication`; `FunctionInvoker` starts its own context around "
                + "`MAIN_CLASS`, and with one bean per context there is little reflection for it to remove, so it was not "
                + "adopted. *Class data sharing*: the JDK's default CDS archive is already used (on by default); an "
                + "application CDS archive is what the AOT cache above subsumes. *Fewer jars*: the jar counts above are "
                + "the functions' current `lib/` folders (trimmed by the lean work); a jar that is not opened costs little, "
                + "what costs is the classes loaded, which the bare column shows.\n\n");
        if (over.isEmpty()) {
            md.append("**Targets.** Every function is within 3× here; keep ≤ 3× as the local target (re-measured on a quiet "
                    + "machine), and in AWS hold the restore time with SnapStart (p95 `Restore Duration` + first invocation "
                    + "under 1 s for the API functions, well within API Gateway's 30 s).\n\n");
        } else {
            md.append("**Targets to set instead** (for the functions over 3×; provisional until a quiet re-run): the "
                    + "absolute cold start without SnapStart, each function's median here within about 1.5× of its current "
                    + "value, and in AWS the restore time with SnapStart (p95 `Restore Duration` + first invocation under 1 s "
                    + "for the API functions), rather than a ratio to a bare handler: Spring Boot plus Spring Cloud "
                    + "Function's start cost is about the same for every function, so the ratio is highest for the "
                    + "functions whose own work is smallest, where the absolute cost matters least.\n\n");
        }
        md.append("**What the CDK app sets** (`PipeDeskStack`, tested): `JAVA_TOOL_OPTIONS=-XX:+TieredCompilation "
                + "-XX:TieredStopAtLevel=1` on every function (the flags measured here and the local stack's, explicit so "
                + "AWS and local agree) with SnapStart on published versions; no AOT cache flag (it cannot be made for "
                + "arm64 here), and no `SPRING_MAIN_LAZY_INITIALIZATION`.\n\n");
        return md.toString();
    }
}
