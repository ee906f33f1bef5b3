package dev.pipedesk.lambda;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Core;

/**
 * Lambda SnapStart's runtime hooks for the whole process (docs/architecture.md, "SnapStart").
 *
 * <ul>
 *   <li>Each function's application registers its one {@link SnapStartResource} here
 *       ({@link #register}): it goes to org.crac's global context, which Lambda calls before it
 *       takes the snapshot and after each restore. That context holds its resources weakly, so
 *       this class keeps the strong reference.</li>
 *   <li>A library with something to reset after a restore (a cached secret, a credential, a
 *       random generator seeded before the snapshot) registers a reset with {@link #afterRestore},
 *       without knowing the function it runs in; every {@link SnapStartResource} runs those resets
 *       first after a restore, before its own (so a pool reconnects with fresh credentials).</li>
 * </ul>
 *
 * On a JDK without CRaC (everywhere but Lambda), org.crac's global context never calls its
 * resources: nothing changes locally, and tests call the hooks directly.
 */
public final class SnapStartHooks {
    private static final List<SnapStartResource.Step> LIBRARY_RESETS = new CopyOnWriteArrayList<>();
    private static final List<SnapStartResource> REGISTERED = new CopyOnWriteArrayList<>();

    private SnapStartHooks() {
    }

    /**
     * Registers a library's reset, run after every restore before the function's own steps, in
     * the order registered. It must be quick, must not fail for want of a network, and should
     * only drop state (the next use builds it afresh), e.g. a secret cache's "forget everything".
     *
     * @param name what is reset, for the logs and for a failure's message
     */
    public static void afterRestore(String name, Runnable reset) {
        LIBRARY_RESETS.add(new SnapStartResource.Step(name, reset));
    }

    /** Registers the function's resource with org.crac's global context and keeps it reachable. */
    public static SnapStartResource register(SnapStartResource resource) {
        Objects.requireNonNull(resource, "resource");
        REGISTERED.add(resource);
        Core.getGlobalContext().register(resource);
        return resource;
    }

    /** The resources registered in this JVM, oldest first (one in Lambda; tests start functions several times). */
    public static List<SnapStartResource> registered() {
        return List.copyOf(REGISTERED);
    }

    /**
     * The resource the named function registered last.
     *
     * @throws IllegalStateException when it registered none
     */
    public static SnapStartResource registered(String function) {
        List<SnapStartResource> all = registered();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).function().equals(function)) {
                return all.get(i);
            }
        }
        throw new IllegalStateException("No SnapStart resource registered for " + function);
    }

    /** The libraries' resets, in the order registered. */
    static List<SnapStartResource.Step> libraryResets() {
        return List.copyOf(LIBRARY_RESETS);
    }
}
