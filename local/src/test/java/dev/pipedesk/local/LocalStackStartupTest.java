package dev.pipedesk.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the stack says before it starts anything, when it cannot start. */
class LocalStackStartupTest {

    /** A jar in {@code functions/<name>/target/lambda/lib} holding these (empty) class entries. */
    private static void jar(Path checkout, String function, String... classes) throws Exception {
        Path lib = Files.createDirectories(checkout.resolve("functions/" + function + "/target/lambda/lib"));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(lib.resolve("pipedesk-function-" + function + ".jar")))) {
            for (String type : classes) {
                jar.putNextEntry(new JarEntry(type.replace('.', '/') + ".class"));
                jar.closeEntry();
            }
        }
    }

    @Test
    void aBuiltFunctionIsOneWhoseJarsHoldItsApplicationClass(@TempDir Path checkout) throws Exception {
        jar(checkout, "authorizer", LocalFunctions.AUTHORIZER.mainClass());
        jar(checkout, "calendar", "dev.pipedesk.calendar.SomethingElse");

        assertThat(LocalFunctions.AUTHORIZER.isBuilt(checkout)).isTrue();
        assertThat(LocalFunctions.CALENDAR.isBuilt(checkout)).isFalse();
        assertThat(LocalFunctions.TIMELINE.isBuilt(checkout)).isFalse();
    }

    @Test
    void namesAFunctionWhoseBuildIsOnlyASkeleton(@TempDir Path checkout) throws Exception {
        jar(checkout, "authorizer", LocalFunctions.AUTHORIZER.mainClass());
        jar(checkout, "calendar");
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");

        assertThatThrownBy(() -> LocalStack.start(LocalStackOptions.defaults().withRepoRoot(checkout)
                .withConsole(new PrintStream(new ByteArrayOutputStream()))))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("The calendar function is not built")
                .hasMessageContaining("functions/calendar/target/lambda/lib holds no dev.pipedesk.calendar.CalendarApplication")
                .hasMessageContaining("Run ./pipedesk build");
    }

    @Test
    void namesTheMissingFunctionAndHowToBuildIt(@TempDir Path checkout) throws Exception {
        jar(checkout, "authorizer", LocalFunctions.AUTHORIZER.mainClass());
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        assertThatThrownBy(() -> LocalStack.start(LocalStackOptions.defaults().withRepoRoot(checkout)
                .withConsole(new PrintStream(console))))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("The calendar function is not built")
                .hasMessageContaining("functions/calendar/target/lambda/lib is missing")
                .hasMessageContaining("Run ./pipedesk build");
        assertThat(console.toString()).doesNotContain("PostgreSQL");
    }

    @Test
    void findsTheCheckoutFromAModuleDirectory(@TempDir Path checkout) throws Exception {
        Files.createDirectories(checkout.resolve("functions"));
        Files.createDirectories(checkout.resolve("local/src"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        Files.writeString(checkout.resolve("local/pom.xml"), "<project/>");

        assertThat(RepoRoot.locate(checkout.resolve("local/src"))).isEqualTo(checkout.toAbsolutePath().normalize());
        assertThatThrownBy(() -> RepoRoot.locate(checkout.getParent()))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("Cannot find the PipeDesk checkout");
    }
}
