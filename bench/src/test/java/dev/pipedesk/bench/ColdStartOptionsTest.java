package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColdStartOptionsTest {
    private static final Path ROOT = Path.of("/repo");

    @Test
    void measuresEveryFunctionButTheMigrationWithEveryVariantByDefault() {
        ColdStartOptions options = BenchOptions.parse(new String[]{"--only=coldstart"}, ROOT).coldStart();

        assertThat(options.functions()).containsExactly("authorizer", "calendar", "timeline", "audit-writer", "channel-renewal",
                "webhook", "calendar-sync");
        assertThat(options.variants()).containsExactly(ColdStartBenchmark.Variant.values());
        assertThat(options.runs()).isEqualTo(5);
        assertThat(options.warm()).isEqualTo(200);
    }

    @Test
    void readsItsOptions() {
        ColdStartOptions options = BenchOptions.parse(new String[]{"--coldstart-runs=3", "--coldstart-warm=0",
                "--coldstart-functions=webhook,timeline", "--coldstart-variants=bare,real"}, ROOT).coldStart();

        assertThat(options).isEqualTo(new ColdStartOptions(3, 0, List.of("webhook", "timeline"),
                List.of(ColdStartBenchmark.Variant.BARE, ColdStartBenchmark.Variant.REAL)));
    }

    @Test
    void refusesAnUnknownFunctionOrARunWithoutItsBaseline() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--coldstart-functions=db-migrate"}, ROOT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--coldstart-functions");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--coldstart-variants=real,aot"}, ROOT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("real and bare");
    }

    @Test
    void aBareClasspathLeavesOutOnlyWhatSpringCloudFunctionNeeds() {
        assertThat(ColdStartBenchmark.SPRING_ONLY_JARS).contains("spring-", "reactor-core-")
                .noneMatch(prefix -> prefix.startsWith("jackson") || prefix.startsWith("pipedesk") || prefix.startsWith("aws-lambda"));
    }
}
