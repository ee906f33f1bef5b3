package dev.pipedesk.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the CPU time of a run goes, from Linux's per-process accounting ({@code /proc/<pid>/stat})
 * and this JVM's per-thread CPU time: the audit-writer instances (child JVMs), PostgreSQL (every
 * {@code postgres} process under this JVM, reaped backends included), and inside this JVM the
 * ElasticMQ threads, the pollers, the sender (the calling thread) and the rest.
 * The embedded PostgreSQL's postmaster is found by its port (pg_ctl detaches it from this JVM).
 * Threads or processes that end between two snapshots are only counted as far as the kernel
 * keeps them (a reaped backend's time moves to the postmaster's children time).
 */
final class CpuAccounting {
    static final String WRITERS = "audit-writer instances";
    static final String POSTGRES = "PostgreSQL";
    static final String ELASTICMQ = "ElasticMQ";
    static final String POLLERS = "pollers";
    static final String SENDER = "sender / JDBC client";
    static final String REST = "rest of the benchmark JVM";
    /** Linux's USER_HZ: /proc times are in 1/100 s on every mainstream kernel. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds per part, in a fixed order. */
    record Snapshot(Map<String, Long> nanos) {
        /** This snapshot minus an earlier one. */
        Snapshot since(Snapshot earlier) {
            Map<String, Long> delta = new LinkedHashMap<>();
            nanos.forEach((part, value) -> delta.put(part, Math.max(0, value - earlier.nanos.getOrDefault(part, 0L))));
            return new Snapshot(delta);
        }

        long total() {
            return nanos.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private CpuAccounting() {
    }

    /**
     * @param writerPids the audit-writer instances' process ids (none for in-process runs)
     * @param sender     the thread that sends (or inserts), counted on its own
     * @param postgresPort the port of the PostgreSQL whose processes count
     */
    static Snapshot take(Set<Long> writerPids, Thread sender, int postgresPort) {
        if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        Map<String, Long> nanos = new LinkedHashMap<>();
        nanos.put(WRITERS, writerPids.stream().mapToLong(pid -> processTicks(pid, false)).sum() * NANOS_PER_TICK);
        nanos.put(POSTGRES, postgresTicks(postgresPort) * NANOS_PER_TICK);
        long elasticMq = 0;
        long pollers = 0;
        long sending = 0;
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            long cpu = Math.max(0, THREADS.getThreadCpuTime(ids[i]));
            String name = infos[i].getThreadName();
            if (ids[i] == sender.threadId()) {
                sending += cpu;
            } else if (name.startsWith("pipedesk-sqs")) {
                elasticMq += cpu;
            } else if (name.startsWith("sqs-poller-")) {
                pollers += cpu;
            }
        }
        long jvm = processTicks(ProcessHandle.current().pid(), false) * NANOS_PER_TICK;
        nanos.put(ELASTICMQ, elasticMq);
        nanos.put(POLLERS, pollers);
        nanos.put(SENDER, sending);
        nanos.put(REST, Math.max(0, jvm - elasticMq - pollers - sending));
        return new Snapshot(nanos);
    }

    /** The postmaster (its own time and its reaped backends') plus its live children. */
    private static long postgresTicks(int port) {
        Optional<ProcessHandle> postmaster = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().arguments().map(args -> isPort(args, port)).orElse(false))
                .findFirst();
        return postmaster.map(pm -> processTicks(pm.pid(), true)
                + pm.descendants().mapToLong(child -> processTicks(child.pid(), false)).sum()).orElse(0L);
    }

    private static boolean isPort(String[] args, int port) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-p") && args[i + 1].equals(Integer.toString(port))) {
                return true;
            }
        }
        return false;
    }

    /** utime + stime (+ the reaped children's when asked) of a process, in clock ticks; 0 when it is gone. */
    private static long processTicks(long pid, boolean withChildren) {
        return stat(pid).map(fields -> {
            long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
            return withChildren ? ticks + Long.parseLong(fields.get(13)) + Long.parseLong(fields.get(14)) : ticks;
        }).orElse(0L);
    }

    /** The fields of /proc/<pid>/stat after the command name (field 3, state, is index 0). */
    private static Optional<List<String>> stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(List.of(line.substring(line.lastIndexOf(')') + 2).trim().split(" ")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
