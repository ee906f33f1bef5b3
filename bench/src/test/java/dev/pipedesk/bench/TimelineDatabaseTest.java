package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the stored benchmark database is reused (new migrations applied onto it) and when it is regenerated. */
class TimelineDatabaseTest {
    private static final Map<String, String> STORED = Map.of("V1__a.sql", "h1", "V2__b.sql", "h2", "V6__c.sql", "h6");

    @Test
    void theSameMigrationsOrNewerOnesKeepTheStoredRows() {
        assertThat(TimelineDatabase.regenerationReason(STORED, STORED)).isNull();
        assertThat(TimelineDatabase.regenerationReason(STORED,
                Map.of("V1__a.sql", "h1", "V2__b.sql", "h2", "V6__c.sql", "h6", "V7__d.sql", "h7", "V10__e.sql", "h10"))).isNull();
    }

    @Test
    void aChangedOrMissingMigrationRegenerates() {
        assertThat(TimelineDatabase.regenerationReason(STORED, Map.of("V1__a.sql", "h1", "V2__b.sql", "other", "V6__c.sql", "h6")))
                .contains("changed or gone").contains("V2__b.sql");
        assertThat(TimelineDatabase.regenerationReason(STORED, Map.of("V1__a.sql", "h1", "V6__c.sql", "h6")))
                .contains("changed or gone").contains("V2__b.sql");
    }

    @Test
    void aNewMigrationOlderThanTheNewestStoredOneRegenerates() {
        assertThat(TimelineDatabase.regenerationReason(STORED,
                Map.of("V1__a.sql", "h1", "V2__b.sql", "h2", "V5__late.sql", "h5", "V6__c.sql", "h6")))
                .contains("older than its newest").contains("V5__late.sql");
    }

    @Test
    void versionsAreNumbersNotText() {
        assertThat(TimelineDatabase.version("V12__name.sql")).isEqualTo(12);
        assertThat(TimelineDatabase.regenerationReason(Map.of("V9__a.sql", "h9"), Map.of("V9__a.sql", "h9", "V10__b.sql", "h10")))
                .isNull();
    }
}
