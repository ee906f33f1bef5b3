-- The role of the functions that write CRM activity and the sync state: calendar (meetings,
-- e-mails, watch-channel routes), webhook (verifies a notification against its channel),
-- calendar-sync (mirrors Google's changes) and channel-renewal (renews channels, relays the audit
-- outbox). NOLOGIN here; the deployment (the db-migrate function) creates a login user in it with
-- a generated password. Exactly what their statements need (docs/security.md, "Database roles and
-- logins in AWS"), nothing else: no DELETE on the CRM activity tables, nothing on audit_logs (the
-- audit-writer's) nor on the capture schema pipedesk_audit, no DDL (CREATE on the schema is
-- revoked from PUBLIC below).
do $$
declare
    this_schema text := current_schema();
begin
    if not exists (select 1 from pg_roles where rolname = 'pipedesk_app') then
        create role pipedesk_app nologin;
    end if;
    execute format('grant usage on schema %I to pipedesk_app', this_schema);
    -- No role creates objects in the schema but its owner (PostgreSQL 15's default for the public
    -- schema, made sure of on older servers): no login can plant a table or function here.
    execute format('revoke create on schema %I from public', this_schema);
    -- The identity sequence of audit_outbox (INSERT on an identity column needs no sequence
    -- privilege; granted all the same, so a later serial column or a nextval keeps working).
    execute format('grant usage on sequence %s to pipedesk_app', pg_get_serial_sequence('audit_outbox', 'id'));
end;
$$;

-- Meetings (the mirror): inserted and updated by the calendar and the sync; calendar-sync and
-- channel-renewal re-key rows stored under 'primary' (UPDATE); read with FOR UPDATE locks.
grant select, insert, update on calendar_events to pipedesk_app;
-- E-mails logged against CRM records: inserted, unlinked (UPDATE), read.
grant select, insert, update on crm_emails to pipedesk_app;
-- The audit outbox: events appended in the change's transaction, sent after commit and deleted;
-- the relay reads due rows (FOR UPDATE SKIP LOCKED) and records attempts.
grant select, insert, update, delete on audit_outbox to pipedesk_app;
-- Google sync: per-calendar state, watch channels, resolved calendar aliases.
grant select, insert, update on calendar_sync_state, calendar_watch_channels, google_calendar_aliases to pipedesk_app;
