package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.calendar.EntityType;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The merged statement's text is built once per shape; the values are only ever parameters. */
class TimelineStatementTest {
    private static final TimelineRepository REPOSITORY = new TimelineRepository(null);
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static TimelineQuery query(String entityId, Instant since, TimelinePosition after, int limit) {
        return new TimelineQuery(EntityType.DEAL, entityId, EnumSet.allOf(TimelineSource.class), since, null, limit, after, 0,
                null);
    }

    @Test
    void pagesOfOneShapeRunTheSameTextWithTheirOwnValues() {
        SqlStatement one = REPOSITORY.mergedStatement(query("d-1", AT, new TimelinePosition(AT, TimelineSource.EMAIL,
                "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"), 50));
        SqlStatement other = REPOSITORY.mergedStatement(query("d-2", AT.minusSeconds(60), new TimelinePosition(AT,
                TimelineSource.EMAIL, "1b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"), 20));

        assertThat(other.sql()).isSameAs(one.sql());
        assertThat(other.parameters()).isNotEqualTo(one.parameters()).contains("d-2", 21).doesNotContain("d-1");  // 21: a page of 20 reads one more row
        assertThat(one.sql()).doesNotContain("d-1").doesNotContain("9b1deb4d");
        assertThat(one.parameters()).hasSize(countPlaceholders(one.sql()));
    }

    @Test
    void anotherShapeHasAnotherText() {
        SqlStatement first = REPOSITORY.mergedStatement(query("d-1", null, null, 50));
        SqlStatement dated = REPOSITORY.mergedStatement(query("d-1", AT, null, 50));
        SqlStatement afterAudit = REPOSITORY.mergedStatement(query("d-1", null, new TimelinePosition(AT, TimelineSource.AUDIT, "7"), 50));
        SqlStatement afterMeeting = REPOSITORY.mergedStatement(query("d-1", null, new TimelinePosition(AT,
                TimelineSource.MEETING, "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"), 50));

        assertThat(first.sql()).contains("as total");
        assertThat(afterAudit.sql()).doesNotContain("as total");
        assertThat(java.util.List.of(first.sql(), dated.sql(), afterAudit.sql(), afterMeeting.sql())).doesNotHaveDuplicates();
        for (SqlStatement statement : java.util.List.of(first, dated, afterAudit, afterMeeting)) {
            assertThat(statement.parameters()).hasSize(countPlaceholders(statement.sql()));
        }
    }

    private static int countPlaceholders(String sql) {
        return (int) sql.chars().filter(c -> c == '?').count();
    }
}
