package dev.pipedesk.local;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter {@code ./pipedesk local} pipes its first build through ({@code .mvn/build-progress.awk}):
 * saved Maven batch-mode logs in, the progress a newcomer sees out. Fast (an awk process, no JVM).
 */
class BuildProgressFilterTest {

    private static List<String> filter(String savedLog) throws Exception {
        Path script = RepoRoot.locate().resolve(".mvn").resolve("build-progress.awk");
        Process awk = new ProcessBuilder("awk", "-f", script.toString()).redirectErrorStream(true).start();
        try (InputStream log = BuildProgressFilterTest.class.getResourceAsStream("/maven/" + savedLog)) {
            awk.getOutputStream().write(log.readAllBytes());
        }
        awk.getOutputStream().close();
        String out = new String(awk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(awk.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(awk.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    @Test
    void showsWhichModuleOfHowManyIsBuildingAndNothingElse() throws Exception {
        assertThat(filter("first-build.txt")).containsExactly(
                "  [1/19] PipeDesk Serverless",
                "  [2/19] PipeDesk core",
                "  [3/19] PipeDesk Lambda shells",
                "  [4/19] PipeDesk auth",
                "  [5/19] PipeDesk HTTP API",
                "  build finished");
    }

    @Test
    void keepsMavensErrorsWhenTheBuildFails() throws Exception {
        assertThat(filter("failed-build.txt")).containsExactly(
                "  [1/2] PipeDesk Serverless",
                "  [2/2] PipeDesk core",
                "[ERROR] COMPILATION ERROR : ",
                "[ERROR] libs/core/src/main/java/dev/pipedesk/core/Json.java:[12,8] class, interface, enum, or record expected",
                "[INFO] BUILD FAILURE",
                "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.14.0:compile (default-compile)"
                        + " on project pipedesk-core: Compilation failure");
    }
}
