package dev.pipedesk.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.audit.AuditQueueSettings;
import dev.pipedesk.audit.OutboxRelaySettings;
import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.calendar.AnswerBudget;
import dev.pipedesk.core.logging.LogSettings;
import dev.pipedesk.core.metrics.MetricsSettings;
import dev.pipedesk.migrate.MigrationSettings;
import dev.pipedesk.secrets.SecretsSettings;
import dev.pipedesk.google.GoogleCalendarSettings;
import dev.pipedesk.google.WritableCalendars;
import dev.pipedesk.local.lambda.FunctionSpec;
import dev.pipedesk.local.lambda.LambdaHost;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.state.RateLimitSettings;
import dev.pipedesk.sync.SyncQueueSettings;
import dev.pipedesk.sync.SyncSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} documents exactly the variables the code reads: each settings
 * record's {@code VARIABLES} (and the local stack's, the emulator's, the local Lambda host's),
 * and nothing else. The README's configuration tables name no other variable.
 */
class ConfigurationDocsTest {
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|([^|]*)\\|", Pattern.MULTILINE);
    private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]*[A-Z0-9])`");

    /** Every variable read by PipeDesk's code, from the classes that read them. */
    private static final Set<String> READ = new TreeSet<>(Stream.of(
            DatabaseSettings.VARIABLES, JwtSettings.VARIABLES, GoogleCalendarSettings.VARIABLES, AnswerBudget.VARIABLES, WritableCalendars.VARIABLES,
            AuditQueueSettings.VARIABLES, OutboxRelaySettings.VARIABLES, RateLimitSettings.VARIABLES, SyncQueueSettings.VARIABLES,
            SyncSettings.VARIABLES, MetricsSettings.VARIABLES, LogSettings.VARIABLES, SecretsSettings.VARIABLES,
            MigrationSettings.VARIABLES, LocalStackOptions.VARIABLES,
            EmulatorOptions.VARIABLES, LambdaHost.VARIABLES, List.of(FunctionSpec.MAIN_CLASS_VARIABLE))
            .flatMap(List::stream).toList());

    /** The variables named in the first column of the file's tables. */
    private static Set<String> tabled(String file) throws IOException {
        String text = Files.readString(RepoRoot.locate().resolve(file));
        Set<String> names = new TreeSet<>();
        Matcher row = TABLE_ROW.matcher(text);
        while (row.find()) {
            Matcher name = VARIABLE.matcher(row.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    @Test
    void configurationDocumentsEveryVariableTheCodeReadsAndNoOther() throws IOException {
        Set<String> documented = tabled("docs/configuration.md");

        assertThat(documented).as("documented in docs/configuration.md").containsAll(READ);
        assertThat(READ).as("read by a settings record").containsAll(documented);
    }

    @Test
    void theReadmeNamesOnlyVariablesTheCodeReads() throws IOException {
        assertThat(READ).containsAll(tabled("README.md"));
    }
}
