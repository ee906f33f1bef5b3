package dev.pipedesk.local.schedule;

import dev.pipedesk.local.lambda.FunctionInvocationException;
import dev.pipedesk.local.lambda.LambdaFunction;
import dev.pipedesk.local.lambda.LogSink;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * EventBridge schedule rules on one machine: every {@code rate}, each job's function is invoked
 * with a Scheduled Event (a run that takes longer delays the next one; runs never overlap).
 * {@link #runNow()} fires every rule at once, synchronously, for tests; {@link #runNow(String)} the
 * rule of one function (the local gateway's {@code POST /_local/functions/{name}/invoke}).
 *
 * <p>A failing run is logged once, not on every tick, until the job succeeds again.
 */
public final class LocalScheduler implements AutoCloseable {

    /** A schedule rule: its name (in the event's {@code resources}) and the function it invokes. */
    public record Job(String ruleName, LambdaFunction function) {
        public Job {
            Objects.requireNonNull(ruleName, "ruleName");
            Objects.requireNonNull(function, "function");
        }
    }

    private final List<Job> jobs;
    private final Duration rate;
    private final String region;
    private final String accountId;
    private final LogSink log;
    private final ScheduledExecutorService timer;
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();

    private LocalScheduler(List<Job> jobs, Duration rate, String region, String accountId, LogSink log) {
        this.jobs = List.copyOf(jobs);
        this.rate = rate;
        this.region = region;
        this.accountId = accountId;
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "local-scheduler");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts firing every {@code rate} (the first run one {@code rate} after the start); a zero
     * {@code rate} fires only on {@link #runNow()}.
     */
    public static LocalScheduler start(List<Job> jobs, Duration rate, String region, String accountId, LogSink log) {
        if (rate.isNegative()) {
            throw new IllegalArgumentException("rate must not be negative");
        }
        LocalScheduler scheduler = new LocalScheduler(jobs, rate, region, accountId, log);
        if (!rate.isZero() && !jobs.isEmpty()) {
            scheduler.timer.scheduleAtFixedRate(scheduler::tick, rate.toMillis(), rate.toMillis(), TimeUnit.MILLISECONDS);
            log.line("every " + rate.toMillis() / 1000.0 + " s: "
                    + jobs.stream().map(j -> j.ruleName() + " -> " + j.function().name()).toList());
        }
        return scheduler;
    }

    public Duration rate() {
        return rate;
    }

    /** The function names the rules invoke. */
    public List<String> functionNames() {
        return jobs.stream().map(j -> j.function().name()).toList();
    }

    /**
     * Fires every rule now, one after the other, and returns each function's output by function name.
     *
     * @throws FunctionInvocationException the first job that failed (the later ones did not run)
     */
    public Map<String, String> runNow() throws FunctionInvocationException {
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Job job : jobs) {
            outputs.put(job.function().name(), run(job));
        }
        return outputs;
    }

    /**
     * Fires the rule that invokes {@code functionName} now, synchronously, with the Scheduled Event
     * the schedule sends, and returns the function's output.
     *
     * @throws IllegalArgumentException    when no rule of this scheduler invokes that function
     * @throws FunctionInvocationException when the function fails
     */
    public String runNow(String functionName) throws FunctionInvocationException {
        Job job = jobs.stream().filter(j -> j.function().name().equals(functionName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no schedule rule invokes " + functionName));
        return run(job);
    }

    private void tick() {
        for (Job job : jobs) {
            try {
                run(job);
            } catch (FunctionInvocationException | RuntimeException e) {
                // logged by run()
            }
        }
    }

    private String run(Job job) throws FunctionInvocationException {
        try {
            String output = job.function().invoke(ScheduledEvents.event(job.ruleName(), Instant.now(), region, accountId));
            if (failing.remove(job.ruleName()) != null) {
                log.line(job.ruleName() + ": " + job.function().name() + " succeeded again");
            }
            return output;
        } catch (FunctionInvocationException | RuntimeException e) {
            if (failing.putIfAbsent(job.ruleName(), Boolean.TRUE) == null) {
                log.line(job.ruleName() + ": " + job.function().name() + " failed: " + e.getMessage()
                        + " (logged once until it succeeds again)");
            }
            throw e;
        }
    }

    /** Stops firing (waiting up to 5 s for a run in progress) and closes the log. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
