package dev.pipedesk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryPlansTest {

    @Test
    void flagsASequentialScanOfALargeTableAndNothingElse() {
        String plan = """
                Limit  (cost=0.56..120.31 rows=51 width=700) (actual time=0.030..0.210 rows=51 loops=1)
                  ->  Append  (cost=0.56..120.31 rows=51 width=700)
                        ->  Parallel Seq Scan on audit_logs  (cost=0.00..1.00 rows=1 width=8)
                        ->  Seq Scan on calendar_sync_state  (cost=0.00..1.00 rows=1 width=8)
                        ->  Index Scan using crm_emails_timeline on crm_emails  (cost=0.42..8.44 rows=1 width=8)
                        ->  Sort  (cost=10.0..10.5 rows=200 width=8)
                              ->  Seq Scan on calendar_events  (cost=0.00..1.00 rows=1 width=8)
                Execution Time: 0.250 ms""";

        assertThat(QueryPlans.seqScans(plan)).containsExactly("audit_logs", "calendar_events");
        assertThat(QueryPlans.seqScans("Index Only Scan using audit_logs_entity on audit_logs")).isEmpty();
    }
}
