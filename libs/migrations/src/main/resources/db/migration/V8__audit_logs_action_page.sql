-- The audit-log API's action filter (GET /api/audit-logs?action=...) pages by (occurred_at, id)
-- like the entity and user filters: without this index a page of a rare action walks
-- audit_logs_occurred until it finds enough matches, and its capped total (at most 10,001 rows
-- counted, see AuditLogRepository) reads the table. Measured on the benchmark database
-- (docs/performance.md, section 6): the action filter's total was a sequential scan of 2 M rows.
create index audit_logs_action_page on audit_logs (action, occurred_at desc, id desc);
