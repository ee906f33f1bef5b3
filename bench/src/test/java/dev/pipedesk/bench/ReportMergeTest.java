package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportMergeTest {
    private static final String FULL_RUN = """
            # Performance

            Measured by `./pipedesk bench`, last run 2026-01-01.

            ## Machine

            load 1.0

            ## Verdicts

            | Target | Measured | Verdict |
            |---|---|---|
            | Ingest >= 50% | 60% | **met** |
            | Outbox < 3 ms | 1 ms | **met** |

            ## 1. Audit ingest rate

            ingest numbers

            ## 2. Outbox overhead

            outbox numbers

            ## Reproduce

            old usage
            """;

    @Test
    void aRunOfOneSuiteReplacesItsSectionAndVerdictAndKeepsTheRest() {
        String outboxOnly = """
                # Performance

                Measured by `./pipedesk bench`, last run 2026-02-02.

                ## Machine

                load 9.0

                ## Verdicts

                | Target | Measured | Verdict |
                |---|---|---|
                | Outbox < 3 ms | 4 ms | **missed** |

                ## 2. Outbox overhead on a calendar write

                new outbox numbers

                ## Reproduce

                new usage
                """;

        String merged = ReportMerge.merge(FULL_RUN, outboxOnly);

        assertThat(merged).contains("last run 2026-01-01", "load 1.0", "ingest numbers", "| Ingest >= 50% | 60% | **met** |",
                "| Outbox < 3 ms | 4 ms | **missed** |", "## 2. Outbox overhead on a calendar write", "new outbox numbers",
                "new usage");
        assertThat(merged).doesNotContain("load 9.0", "| Outbox < 3 ms | 1 ms |", "outbox numbers\n\n## 2.", "old usage");
        assertThat(merged.indexOf("## 1.")).isLessThan(merged.indexOf("## 2.")).isLessThan(merged.indexOf("## Reproduce"));
    }

    @Test
    void aNewSectionGoesBeforeReproduceAndItsVerdictsAfterTheOthers() {
        String timelineOnly = """
                # Performance

                ## Machine

                load 2.0

                ## Verdicts

                | Target | Measured | Verdict |
                |---|---|---|
                | Timeline p95 < 15 ms | 9 ms | **met** |

                ## 6. Timeline

                timeline numbers

                ## Reproduce

                usage
                """;

        String merged = ReportMerge.merge(FULL_RUN, timelineOnly);

        assertThat(merged.indexOf("outbox numbers")).isLessThan(merged.indexOf("## 6. Timeline"));
        assertThat(merged.indexOf("## 6. Timeline")).isLessThan(merged.indexOf("## Reproduce"));
        assertThat(merged.indexOf("| Outbox < 3 ms | 1 ms |")).isLessThan(merged.indexOf("| Timeline p95 < 15 ms |"));
        assertThat(merged.indexOf("| Timeline p95 < 15 ms |")).isLessThan(merged.indexOf("## 1. Audit ingest rate"));
        assertThat(merged).containsOnlyOnce("## Reproduce").containsOnlyOnce("## Verdicts").containsOnlyOnce("## 6. Timeline");
    }

    @Test
    void mergingTheSameRunTwiceChangesNothing() {
        String once = ReportMerge.merge(FULL_RUN, FULL_RUN);

        assertThat(ReportMerge.merge(once, FULL_RUN)).isEqualTo(once);
        assertThat(once).isEqualTo(FULL_RUN);
    }
}
