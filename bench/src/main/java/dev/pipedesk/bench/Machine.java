package dev.pipedesk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a benchmark ran on, for the report.
 *
 * @param cpus     processors available to the JVM (what {@code nproc} prints)
 * @param cpuModel the CPU's model name, or {@code unknown}
 * @param memory   total memory, e.g. {@code 23.5 GiB}, or {@code unknown}
 * @param jdk      the JDK running the benchmarks (and the child JVMs)
 * @param os       name, version and architecture
 * @param loadAtStart the 1/5/15-minute load averages when the run started (other work on the machine skews results)
 */
public record Machine(int cpus, String cpuModel, String memory, String jdk, String os, String loadAtStart) {

    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemory(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                readLoadAverage());
    }

    private static String readCpuModel() {
        return procLines("/proc/cpuinfo").stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown");
    }

    private static String readMemory() {
        return procLines("/proc/meminfo").stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .map(line -> line.replaceAll("[^0-9]", ""))
                .map(kib -> String.format("%.1f GiB", Long.parseLong(kib) / 1024.0 / 1024.0))
                .findFirst().orElse("unknown");
    }

    /** The load averages when a benchmark started and when it ended (other work on the machine skews results). */
    public record Load(String before, String after) {
        /** Starts the record: the load now; {@link #end()} adds the load then. */
        static Load start() {
            return new Load(loadNow(), null);
        }

        Load end() {
            return new Load(before, loadNow());
        }

        @Override
        public String toString() {
            return before + " at the start, " + (after == null ? "?" : after) + " at the end";
        }
    }

    /** The 1/5/15-minute load averages now, e.g. {@code 2.18 / 2.44 / 1.74}. */
    static String loadNow() {
        return readLoadAverage();
    }

    private static String readLoadAverage() {
        return procLines("/proc/loadavg").stream()
                .map(line -> String.join(" / ", List.of(line.split(" ")).subList(0, 3)))
                .findFirst().orElse("unknown");
    }

    private static List<String> procLines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
