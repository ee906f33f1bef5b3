-- The audit-writer inserts with ON CONFLICT (event_id) DO NOTHING, so a redelivered event is
-- stored once. PostgreSQL requires SELECT privilege on the columns of an ON CONFLICT target
-- (checked on PostgreSQL 14: with INSERT alone the statement fails with "permission denied for
-- table audit_logs"). The minimum is SELECT on event_id alone: the writer can learn which event
-- ids exist, and can still read nothing else (no actors, entities, payloads). It still cannot
-- UPDATE or DELETE. Identity values need no sequence privilege.
grant select (event_id) on audit_logs to pipedesk_audit_writer;
