-- Audit events waiting to be sent to the SQS audit queue. A producer inserts its event here in
-- the same transaction as the change it describes; after commit it sends the row and deletes
-- it. Whatever is left (SQS down, a Lambda killed between commit and send) is re-sent by the
-- scheduled relay, oldest first, with per-row backoff.
create table audit_outbox (
    id               bigint generated always as identity primary key,
    event_id         uuid        not null unique,
    payload          jsonb       not null,
    created_at       timestamptz not null default clock_timestamp(),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null default clock_timestamp(),
    last_error       text
);
create index audit_outbox_due on audit_outbox (next_attempt_at, id);

-- The audit log: written only by the audit-writer, exactly once per event_id, never changed.
create table audit_logs (
    id              bigint generated always as identity primary key,
    event_id        uuid        not null,
    schema_version  integer     not null,
    entity_type     text        not null,
    entity_id       text        not null,
    action          text        not null,
    actor_type      text        not null check (actor_type in ('user', 'system')),
    actor_id        text        not null,
    occurred_at     timestamptz not null,
    recorded_at     timestamptz not null default clock_timestamp(),
    before          jsonb,
    after           jsonb,
    changes         jsonb,
    source          text        not null,
    request_id      text,
    ip              text,
    user_agent      text,
    constraint audit_logs_event_id_unique unique (event_id)
);
create index audit_logs_entity on audit_logs (entity_type, entity_id, occurred_at desc, id desc);
create index audit_logs_actor on audit_logs (actor_id, occurred_at desc);
create index audit_logs_occurred on audit_logs (occurred_at desc);

-- Append-only, enforced by the database itself for every client and role.
create function audit_logs_refuse_change() returns trigger
    language plpgsql as $$
begin
    raise exception 'audit_logs is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_logs_append_only
    before update or delete on audit_logs
    for each row execute function audit_logs_refuse_change();
create trigger audit_logs_no_truncate
    before truncate on audit_logs
    for each statement execute function audit_logs_refuse_change();

-- The audit-writer's role may only INSERT (and read nothing else). Login and password are
-- granted by the deployment (or the local stack), never by a migration.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'pipedesk_audit_writer') then
        create role pipedesk_audit_writer nologin;
    end if;
end;
$$;
revoke all on audit_logs from public;
grant insert on audit_logs to pipedesk_audit_writer;
