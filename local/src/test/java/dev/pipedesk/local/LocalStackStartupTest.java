package dev.pipedesk.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the stack says before it starts anything, when it cannot start. */
class LocalStackStartupTest {

    @Test
    void namesTheMissingFunctionAndHowToBuildIt(@TempDir Path checkout) throws Exception {
        Files.createDirectories(checkout.resolve("functions/authorizer/target/lambda/lib"));
        Files.writeString(checkout.resolve("functions/authorizer/target/lambda/lib/authorizer.jar"), "");
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
