package dev.pipedesk.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.CheckpointException;
import org.crac.RestoreException;
import org.junit.jupiter.api.Test;

/** The order of a function's SnapStart hooks, and what a failing step does, called as Lambda would. */
class SnapStartResourceTest {
    private final List<String> ran = new CopyOnWriteArrayList<>();

    private Runnable record(String step) {
        return () -> ran.add(step);
    }

    private Runnable fail(String step) {
        return () -> {
            ran.add(step);
            throw new IllegalStateException(step + " failed");
        };
    }

    @Test
    void primesThenLetsGoBeforeTheCheckpoint() throws Exception {
        SnapStartResource resource = SnapStartResource.forFunction("test")
                .beforeCheckpoint("suspend pool", record("suspend pool"))
                .prime("event", record("prime event"))
                .afterRestore("resume pool", record("resume pool"))
                .prime("driver", record("prime driver"))
                .build();

        resource.beforeCheckpoint(null);

        assertThat(ran).containsExactly("prime event", "prime driver", "suspend pool");
        assertThat(resource.primingSteps()).containsExactly("event", "driver");
    }

    @Test
    void runsTheLibrariesResetsBeforeTheFunctionsOwnAfterARestore() throws Exception {
        String secrets = "drop cached secrets " + System.nanoTime();
        SnapStartHooks.afterRestore(secrets, record(secrets));
        SnapStartResource resource = SnapStartResource.forFunction("test")
                .afterRestore("resume pool", record("resume pool"))
                .beforeCheckpoint("suspend pool", record("suspend pool"))
                .build();

        resource.afterRestore(null);

        assertThat(ran).endsWith(secrets, "resume pool").doesNotContain("suspend pool");
    }

    @Test
    void takesTheSnapshotWhenAPrimingStepFails() throws Exception {
        SnapStartResource resource = SnapStartResource.forFunction("test")
                .prime("broken", fail("broken priming"))
                .prime("event", record("prime event"))
                .beforeCheckpoint("suspend pool", record("suspend pool"))
                .build();

        resource.beforeCheckpoint(null);

        assertThat(ran).containsExactly("broken priming", "prime event", "suspend pool");
    }

    @Test
    void failsTheCheckpointWhenSomethingCannotBeLetGo() {
        SnapStartResource resource = SnapStartResource.forFunction("test")
                .beforeCheckpoint("suspend pool", fail("suspend pool"))
                .beforeCheckpoint("close client", record("close client"))
                .build();

        assertThatThrownBy(() -> resource.beforeCheckpoint(null))
                .isInstanceOf(CheckpointException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("suspend pool failed"));
        assertThat(ran).containsExactly("suspend pool", "close client");
    }

    @Test
    void runsEveryRestoreStepThenReportsTheFailures() {
        SnapStartResource resource = SnapStartResource.forFunction("test")
                .afterRestore("evict pool", fail("evict pool"))
                .afterRestore("resume pool", record("resume pool"))
                .build();

        assertThatThrownBy(() -> resource.afterRestore(null)).isInstanceOf(RestoreException.class)
                .hasMessageContaining("1 restore step(s) failed");
        assertThat(ran).endsWith("evict pool", "resume pool");
    }

    @Test
    void keepsARegisteredResourceFindableByItsFunction() {
        SnapStartResource first = SnapStartResource.forFunction("twice").register();
        SnapStartResource second = SnapStartResource.forFunction("twice").register();

        assertThat(SnapStartHooks.registered("twice")).isSameAs(second).isNotSameAs(first);
        assertThat(SnapStartHooks.registered()).contains(first, second);
        assertThatThrownBy(() -> SnapStartHooks.registered("never-registered")).isInstanceOf(IllegalStateException.class);
    }
}
