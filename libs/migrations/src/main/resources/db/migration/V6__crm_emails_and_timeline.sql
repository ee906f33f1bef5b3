-- The unified timeline (docs/architecture.md, "The unified timeline"): e-mails as a CRM activity
-- source, the index of each source's (entity, time, id) access path, and the read-only role the
-- timeline function connects as.

-- E-mails the CRM's mail integration logged against a lead, deal or contact. message_id (the
-- RFC 5322 Message-ID) is unique: logging the same message twice is one row. A mis-logged e-mail
-- is unlinked (soft: unlinked_at/unlinked_by), never deleted, so its audit trail keeps its subject.
create table crm_emails (
    id            uuid        primary key,
    message_id    text        not null,
    thread_id     text,
    direction     text        not null check (direction in ('inbound', 'outbound')),
    from_address  text        not null,
    to_addresses  text[]      not null default '{}',
    cc_addresses  text[]      not null default '{}',
    subject       text        not null default '',
    snippet       text,
    sent_at       timestamptz not null,
    entity_type   text        not null check (entity_type in ('lead', 'deal', 'contact')),
    entity_id     text        not null,
    logged_by     text        not null,
    logged_at     timestamptz not null default now(),
    unlinked_at   timestamptz,
    unlinked_by   text,
    constraint crm_emails_message_id_unique unique (message_id),
    constraint crm_emails_unlinked_pair check ((unlinked_at is null) = (unlinked_by is null))
);

-- The timeline's access paths, newest first with a fixed tie-break (id):
--   e-mails linked to an entity;
create index crm_emails_timeline
    on crm_emails (entity_type, entity_id, sent_at desc, id desc) where unlinked_at is null;
--   meetings linked to an entity (a cancelled meeting is not an entry; its audit trail is);
create index calendar_events_timeline
    on calendar_events (entity_type, entity_id, start_time desc, id desc) where status <> 'cancelled';
--   audit entries of an entity (and of each linked meeting or e-mail) use audit_logs_entity
--   (entity_type, entity_id, occurred_at desc, id desc) from V2.
-- The audit-log API's user filter pages by (occurred_at, id): give it the tie-break too.
create index audit_logs_actor_page on audit_logs (actor_id, occurred_at desc, id desc);
drop index audit_logs_actor;

-- The timeline function's role: it reads the three sources and nothing else, and writes nothing.
-- NOLOGIN here; the deployment (or the local stack) creates or enables the login.
do $$
declare
    this_schema text := current_schema();
begin
    if not exists (select 1 from pg_roles where rolname = 'pipedesk_timeline_reader') then
        create role pipedesk_timeline_reader nologin;
    end if;
    execute format('grant usage on schema %I to pipedesk_timeline_reader', this_schema);
end;
$$;
grant select on audit_logs, calendar_events, crm_emails to pipedesk_timeline_reader;
