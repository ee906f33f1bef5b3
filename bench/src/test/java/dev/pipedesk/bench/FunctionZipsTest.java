package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionZipsTest {

    @Test
    void measuresEachBuiltFunctionsLambdaFolderAsAZipAndListsItsLargestJars(@TempDir Path repo) throws Exception {
        Path lib = Files.createDirectories(repo.resolve("functions/timeline/target/lambda/lib"));
        Files.writeString(repo.resolve("functions/timeline/pom.xml"), "<project/>");
        Files.write(lib.resolve("big.jar"), "a".repeat(200_000).getBytes());
        Files.write(lib.resolve("small.jar"), "b".repeat(1_000).getBytes());
        Files.write(lib.resolve("middle.jar"), "c".repeat(50_000).getBytes());
        Files.write(lib.resolve("tiny.jar"), "d".getBytes());
        Files.createDirectories(repo.resolve("functions/webhook"));
        Files.writeString(repo.resolve("functions/webhook/pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("functions/target"));

        Map<String, Optional<FunctionZips.FunctionZip>> zips = FunctionZips.measure(repo);

        assertThat(zips).containsOnlyKeys("timeline", "webhook");
        assertThat(zips.get("webhook")).isEmpty();
        FunctionZips.FunctionZip timeline = zips.get("timeline").orElseThrow();
        assertThat(timeline.jars()).hasSize(4);
        assertThat(timeline.largest(FunctionZips.LARGEST)).extracting(FunctionZips.Jar::name)
                .containsExactly("big.jar", "middle.jar", "small.jar");
        assertThat(timeline.unzippedBytes()).isEqualTo(251_001);
        assertThat(timeline.zipBytes()).isPositive().isLessThan(timeline.unzippedBytes());
    }

    @Test
    void theSameFolderAlwaysZipsToTheSameSize(@TempDir Path folder) throws Exception {
        Path lib = Files.createDirectories(folder.resolve("lib"));
        Files.write(lib.resolve("one.jar"), "some content ".repeat(1_000).getBytes());

        long first = FunctionZips.measure("f", folder).zipBytes();
        Files.setLastModifiedTime(lib.resolve("one.jar"), java.nio.file.attribute.FileTime.fromMillis(0));

        assertThat(FunctionZips.measure("f", folder).zipBytes()).isEqualTo(first);
    }

    @Test
    void itsSectionShowsBeforeAndNowAndReplacesOnlyItselfInTheReport(@TempDir Path folder) throws Exception {
        Files.createDirectories(folder.resolve("lib"));
        Files.write(folder.resolve("lib/pipedesk-function-timeline.jar"), new byte[1_000]);
        FunctionZips.FunctionZip timeline = FunctionZips.measure("timeline", folder);
        String section = FunctionZips.markdown(Map.of("timeline", Optional.of(timeline)));

        assertThat(section).startsWith(FunctionZips.HEADING + "\n")
                .contains("| timeline | " + FunctionZips.mb(FunctionZips.BEFORE.get("timeline").zipBytes()) + " MB | **")
                .contains("| " + FunctionZips.BEFORE.get("timeline").jars() + " | **1** |");

        String existing = """
                # Performance

                ## Machine

                m

                ## Function zips

                old sizes

                ## 6. Timeline

                timeline

                ## Reproduce

                usage
                """;
        String merged = ReportMerge.merge(existing, "# Performance\n\n" + section);

        assertThat(merged).doesNotContain("old sizes").contains("## 6. Timeline\n\ntimeline").contains("## Reproduce")
                .containsOnlyOnce(FunctionZips.HEADING);
        assertThat(merged.indexOf(FunctionZips.HEADING)).isLessThan(merged.indexOf("## 6. Timeline"));
    }

    @Test
    void aRunOfOnlyTheZipsNeedsNoDatabase() {
        assertThat(BenchOptions.parse(new String[]{"--only=zips"}, Path.of("/repo")).runsWithDatabase()).isFalse();
        assertThat(BenchOptions.parse(new String[]{"--only=zips,outbox"}, Path.of("/repo")).runsWithDatabase()).isTrue();
        assertThat(BenchOptions.parse(new String[0], Path.of("/repo")).runs("zips")).isTrue();
    }
}
