package dev.pipedesk.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The cold-start suite's options ({@code --coldstart-*}).
 *
 * @param runs      cold starts per function and variant (interleaved rounds; the median counts)
 * @param warm      warm invocations after the last round's cold start of the real function and of its bare handler
 * @param functions the functions measured (names as under {@code functions/})
 * @param variants  what is started ({@link ColdStartBenchmark.Variant}): the real function, the bare handler and the
 *                  local options tried on the real one
 */
public record ColdStartOptions(int runs, int warm, List<String> functions, List<ColdStartBenchmark.Variant> variants) {
    static final String USAGE = "[--coldstart-runs=5] [--coldstart-warm=200] "
            + "[--coldstart-functions=authorizer,calendar,timeline,audit-writer,channel-renewal,webhook,calendar-sync] "
            + "[--coldstart-variants=real,bare,aot,lazy]";

    public ColdStartOptions {
        if (runs < 1 || warm < 0) {
            throw new IllegalArgumentException("--coldstart-runs must be positive, --coldstart-warm at least 0");
        }
        functions = List.copyOf(functions);
        variants = List.copyOf(variants);
        if (functions.isEmpty() || !ColdStartFixtures.FUNCTIONS.containsAll(functions)) {
            throw new IllegalArgumentException("--coldstart-functions takes " + String.join(",", ColdStartFixtures.FUNCTIONS));
        }
        if (!variants.contains(ColdStartBenchmark.Variant.REAL) || !variants.contains(ColdStartBenchmark.Variant.BARE)) {
            throw new IllegalArgumentException("--coldstart-variants must include real and bare");
        }
    }

    public static ColdStartOptions defaults() {
        return new ColdStartOptions(5, 200, ColdStartFixtures.FUNCTIONS, List.of(ColdStartBenchmark.Variant.values()));
    }

    /** This with one {@code --coldstart-*} option applied. */
    ColdStartOptions with(String name, String value) {
        return switch (name) {
            case "--coldstart-runs" -> new ColdStartOptions(integer(name, value), warm, functions, variants);
            case "--coldstart-warm" -> new ColdStartOptions(runs, integer(name, value), functions, variants);
            case "--coldstart-functions" -> new ColdStartOptions(runs, warm, list(value), variants);
            case "--coldstart-variants" -> new ColdStartOptions(runs, warm, functions,
                    list(value).stream().map(ColdStartBenchmark.Variant::parse).toList());
            default -> throw new IllegalArgumentException("unknown option " + name);
        };
    }

    static boolean isOption(String name) {
        return name.startsWith("--coldstart-");
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
        }
    }
}
