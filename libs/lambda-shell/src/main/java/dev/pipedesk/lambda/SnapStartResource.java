package dev.pipedesk.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.crac.CheckpointException;
import org.crac.Context;
import org.crac.Resource;
import org.crac.RestoreException;

/**
 * One function's SnapStart runtime hooks, an org.crac {@link Resource} (registered through
 * {@link SnapStartHooks#register}; docs/architecture.md, "SnapStart").
 *
 * <p><b>Before the checkpoint</b>, in this order:
 * <ol>
 *   <li>the <em>priming</em> steps: side-effect-free work that loads and compiles the request
 *       path (a bundled priming event through the function's own shell, a response serialised,
 *       the JDBC driver loaded) — never a write, a Google call, a queue send or a secret read.
 *       Priming only makes the first request faster: a step that fails is logged and skipped,
 *       and the snapshot is still taken;</li>
 *   <li>the <em>checkpoint</em> steps: what must not be in the snapshot is let go (a connection
 *       pool suspended and emptied). These must succeed: if one fails, the checkpoint fails with
 *       a {@link CheckpointException} (no snapshot with a live connection in it).</li>
 * </ol>
 * <p><b>After a restore</b>, in this order: the next invocation marked as a cold start (its log
 * lines say {@code coldStart: true}), the libraries' resets ({@link SnapStartHooks#afterRestore}:
 * cached secrets dropped, ...), then the function's own <em>restore</em> steps (pools emptied
 * again and resumed: no connection from before the snapshot is ever handed out). Every step
 * runs even when an earlier one failed; then the failures are thrown as one {@link RestoreException}.
 */
public final class SnapStartResource implements Resource {
    private static final Logger LOG = Logger.getLogger(SnapStartResource.class.getName());

    /** A named step of a hook. */
    public record Step(String name, Runnable action) {
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(action, "action");
        }
    }

    private final String function;
    private final List<Step> priming;
    private final List<Step> checkpoint;
    private final List<Step> restore;

    private SnapStartResource(Builder builder) {
        this.function = builder.function;
        this.priming = List.copyOf(builder.priming);
        this.checkpoint = List.copyOf(builder.checkpoint);
        this.restore = List.copyOf(builder.restore);
    }

    /** @param function the function's name, as deployed (e.g. {@code timeline}) */
    public static Builder forFunction(String function) {
        return new Builder(function);
    }

    public String function() {
        return function;
    }

    /** The names of the priming steps, in order. */
    public List<String> primingSteps() {
        return priming.stream().map(Step::name).toList();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
        for (Step step : priming) {
            try {
                step.action().run();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "SnapStart " + function + ": priming step '" + step.name()
                        + "' failed; the snapshot is taken without it", e);
            }
        }
        List<Throwable> failures = runAll(checkpoint);
        if (!failures.isEmpty()) {
            CheckpointException failed = new CheckpointException("SnapStart " + function + ": "
                    + failures.size() + " checkpoint step(s) failed");
            failures.forEach(failed::addSuppressed);
            throw failed;
        }
        LOG.info(() -> "SnapStart " + function + ": primed (" + priming.size() + " step(s)), ready for the snapshot");
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws RestoreException {
        List<Step> steps = new ArrayList<>();
        // Priming may have run an invocation: the first one after the restore is the cold start.
        steps.add(new Step("next invocation marked as a cold start", LambdaInvocation::restored));
        steps.addAll(SnapStartHooks.libraryResets());
        steps.addAll(restore);
        List<Throwable> failures = runAll(steps);
        if (!failures.isEmpty()) {
            RestoreException failed = new RestoreException("SnapStart " + function + ": "
                    + failures.size() + " restore step(s) failed");
            failures.forEach(failed::addSuppressed);
            throw failed;
        }
        LOG.info(() -> "SnapStart " + function + ": restored (" + steps.size() + " reset(s))");
    }

    private List<Throwable> runAll(List<Step> steps) {
        List<Throwable> failures = new ArrayList<>();
        for (Step step : steps) {
            try {
                step.action().run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "SnapStart " + function + ": step '" + step.name() + "' failed", e);
                failures.add(e);
            }
        }
        return failures;
    }

    /** Collects the steps, each kind in the order added. */
    public static final class Builder {
        private final String function;
        private final List<Step> priming = new ArrayList<>();
        private final List<Step> checkpoint = new ArrayList<>();
        private final List<Step> restore = new ArrayList<>();

        private Builder(String function) {
            this.function = Objects.requireNonNull(function, "function");
        }

        /** Side-effect-free work run before the checkpoint to load and compile the request path. */
        public Builder prime(String name, Runnable work) {
            priming.add(new Step(name, work));
            return this;
        }

        /** What must be let go before the checkpoint, after priming (e.g. a pool suspended and emptied). */
        public Builder beforeCheckpoint(String name, Runnable step) {
            checkpoint.add(new Step(name, step));
            return this;
        }

        /** What the function resets after a restore, after the libraries' resets (e.g. a pool resumed). */
        public Builder afterRestore(String name, Runnable step) {
            restore.add(new Step(name, step));
            return this;
        }

        public SnapStartResource build() {
            return new SnapStartResource(this);
        }

        /** Builds it and registers it ({@link SnapStartHooks#register}). */
        public SnapStartResource register() {
            return SnapStartHooks.register(build());
        }
    }
}
