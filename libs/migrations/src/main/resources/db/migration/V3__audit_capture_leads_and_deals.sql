-- Database capture of CRM changes: a generic trigger function that, attached to a table, writes
-- one audit event (contract: docs/audit-events.md) into audit_outbox for every INSERT, every
-- UPDATE that changes a tracked column, every DELETE, and one delete per row on TRUNCATE, in the
-- same transaction as the change. The scheduled outbox relay sends it to the SQS audit queue.
-- So a write from any client of the database is audited, not only writes made through our
-- functions. How to attach it to a CRM's own tables: docs/audit-database-capture.md.

create schema pipedesk_audit;
revoke all on schema pipedesk_audit from public;

-- Who made the change, never null, always valid for the contract (docs/audit-events.md#actor):
--   1. the transaction setting pipedesk.actor: 'system:<job>' is a system actor, any other
--      non-blank value a user id (set it with set_config('pipedesk.actor', ..., true) or
--      SET LOCAL, so it never outlives the transaction on a pooled connection). A value the
--      contract refuses (system:<job> with spaces, more than 255 characters) fails the write:
--      an event that can never be stored must not be committed;
--   2. else the 'sub' of a PostgREST / Supabase request (setting request.jwt.claims): a user;
--   3. else the database role the client acts as (SET ROLE, else the login user), as the
--      system actor 'system:db:<role>'.
create function pipedesk_audit.current_actor() returns jsonb
    language plpgsql stable as $$
declare
    declared text := nullif(btrim(current_setting('pipedesk.actor', true)), '');
    claims   text := nullif(btrim(current_setting('request.jwt.claims', true)), '');
    subject  text;
    db_role  text;
begin
    if declared is not null then
        if length(declared) > 255 or (declared like 'system:%' and declared !~ '^system:\S+$') then
            raise exception 'pipedesk.actor "%" is not a valid audit actor', left(declared, 300)
                using errcode = 'invalid_parameter_value',
                      hint = 'Use a user id, or system:<job> without spaces; at most 255 characters.';
        end if;
        return jsonb_build_object(
            'type', case when declared like 'system:%' then 'system' else 'user' end,
            'id', declared);
    end if;
    if claims is not null then
        subject := nullif(btrim(claims::jsonb ->> 'sub'), '');
        if subject is not null and length(subject) <= 255 and subject not like 'system:%' then
            return jsonb_build_object('type', 'user', 'id', subject);
        end if;
    end if;
    -- Inside the capturing (security definer) function current_user is the function's owner;
    -- the role setting still names the role the client switched to.
    db_role := coalesce(nullif(current_setting('role'), 'none'), session_user);
    return jsonb_build_object('type', 'system', 'id', 'system:db:' || regexp_replace(db_role, '\s', '_', 'g'));
end;
$$;

-- Writes one event into the outbox. before/after are the row as JSON (excluded columns already
-- removed); changes is {column: {old, new}} for updates, null for create and delete.
create function pipedesk_audit.enqueue(
    entity_type text, entity_id text, action text, before_row jsonb, after_row jsonb, changes jsonb)
    returns void
    language plpgsql as $$
declare
    event_id uuid := gen_random_uuid();
begin
    insert into audit_outbox (event_id, payload)
    values (event_id, jsonb_build_object(
        'schema_version', 1,
        'event_id', event_id,
        'entity_type', entity_type,
        'entity_id', entity_id,
        'action', action,
        'actor', pipedesk_audit.current_actor(),
        'occurred_at', to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'before', before_row,
        'after', after_row,
        'changes', changes,
        'source', 'database',
        'request_id', left(nullif(btrim(current_setting('pipedesk.request_id', true)), ''), 255),
        'ip', null,
        'user_agent', null));
end;
$$;

-- The trigger function. Attach it with pipedesk_audit.attach(...) (below), or by hand as
--   AFTER INSERT OR UPDATE OR DELETE ... FOR EACH ROW and BEFORE TRUNCATE ... FOR EACH STATEMENT
-- with the arguments
--   0 entity_type       required, e.g. 'lead'
--   1 id_column         column holding the entity id (sent as text); '' means 'id'
--   2 status_column     an UPDATE changing it is 'status_change' (it is always tracked); '' = none
--   3 tracked_columns   array literal, e.g. '{name,email,status}': an UPDATE changing none of
--                       them (nor the status column) writes nothing
--   4 excluded_columns  array literal, e.g. '{password_hash}': never written anywhere; '' = none
-- before/after hold the whole row minus the excluded columns.
-- Security definer: clients writing the table need no privilege on audit_outbox, so they cannot
-- forge events by writing to it directly.
create function pipedesk_audit.capture_row_change() returns trigger
    language plpgsql security definer
    set timezone = 'UTC' as $$
declare
    entity_type   text   := nullif(tg_argv[0], '');
    id_column     text   := coalesce(nullif(tg_argv[1], ''), 'id');
    status_column text   := nullif(tg_argv[2], '');
    tracked       text[] := coalesce(nullif(tg_argv[3], '')::text[], '{}');
    excluded      text[] := coalesce(nullif(tg_argv[4], '')::text[], '{}');
    old_row       jsonb;
    new_row       jsonb;
    changes       jsonb;
begin
    if entity_type is null or entity_type !~ '^[a-z][a-z0-9_]{0,62}$' then
        raise exception 'pipedesk_audit.capture_row_change on %: the first trigger argument must be the entity type in lower snake_case, e.g. lead',
            tg_relid::regclass;
    end if;
    if status_column is not null then
        tracked := tracked || status_column;
    end if;
    if cardinality(tracked) = 0 then
        raise exception 'pipedesk_audit.capture_row_change on %: no tracked columns (the fourth trigger argument, e.g. ''{name,status}'')',
            tg_relid::regclass;
    end if;

    if tg_op = 'TRUNCATE' then
        if tg_when <> 'BEFORE' then
            raise exception 'pipedesk_audit.capture_row_change on %: attach it BEFORE TRUNCATE, while the rows still exist',
                tg_relid::regclass;
        end if;
        for old_row in execute format('select to_jsonb(t) from only %s t', tg_relid::regclass) loop
            perform pipedesk_audit.enqueue(entity_type, pipedesk_audit.entity_id(old_row, id_column, tg_relid),
                'delete', old_row - excluded, null, null);
        end loop;
        return null;
    end if;
    if tg_level <> 'ROW' or tg_when <> 'AFTER' then
        raise exception 'pipedesk_audit.capture_row_change on %: attach it AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW',
            tg_relid::regclass;
    end if;

    if tg_op = 'INSERT' then
        new_row := to_jsonb(new);
        perform pipedesk_audit.enqueue(entity_type, pipedesk_audit.entity_id(new_row, id_column, tg_relid),
            'create', null, new_row - excluded, null);
    elsif tg_op = 'DELETE' then
        old_row := to_jsonb(old);
        perform pipedesk_audit.enqueue(entity_type, pipedesk_audit.entity_id(old_row, id_column, tg_relid),
            'delete', old_row - excluded, null, null);
    else
        old_row := to_jsonb(old);
        new_row := to_jsonb(new);
        select jsonb_object_agg(col, jsonb_build_object('old', old_row -> col, 'new', new_row -> col))
          into changes
          from (select distinct unnest(tracked) as col) tracked_column
         where col <> all (excluded)
           and (old_row -> col) is distinct from (new_row -> col);
        if changes is null then
            return null;
        end if;
        perform pipedesk_audit.enqueue(entity_type, pipedesk_audit.entity_id(new_row, id_column, tg_relid),
            case when changes ? status_column then 'status_change' else 'update' end,
            old_row - excluded, new_row - excluded, changes);
    end if;
    return null;
end;
$$;

create function pipedesk_audit.entity_id(row_json jsonb, id_column text, relation oid) returns text
    language plpgsql stable as $$
declare
    id text := nullif(row_json ->> id_column, '');
begin
    if id is null or length(id) > 255 then
        raise exception 'pipedesk_audit.capture_row_change on %: the id column "%" is missing, empty, null or longer than 255 characters',
            relation::regclass, id_column;
    end if;
    return id;
end;
$$;

-- The functions above run as their owner; the capturing one must find audit_outbox (created by
-- V2 in the schema this migration runs in) without trusting the caller's search_path.
do $$
declare
    outbox_schema text := (select n.nspname
                             from pg_class c join pg_namespace n on n.oid = c.relnamespace
                            where c.oid = 'audit_outbox'::regclass);
begin
    execute format('alter function pipedesk_audit.capture_row_change() set search_path = %I, pg_temp', outbox_schema);
    execute format('alter function pipedesk_audit.enqueue(text, text, text, jsonb, jsonb, jsonb) set search_path = %I, pg_temp',
        outbox_schema);
end;
$$;
revoke all on function pipedesk_audit.current_actor() from public;
revoke all on function pipedesk_audit.enqueue(text, text, text, jsonb, jsonb, jsonb) from public;
revoke all on function pipedesk_audit.entity_id(jsonb, text, oid) from public;

-- Attaches (or re-attaches with new settings) the capture to a table, after checking that every
-- named column exists. Runs with the caller's rights: the caller needs the TRIGGER privilege on
-- the table (its owner has it). Example:
--   select pipedesk_audit.attach('public.leads', 'lead', '{name,email,status}', status_column => 'status');
create function pipedesk_audit.attach(
    target regclass,
    entity_type text,
    tracked_columns text[],
    status_column text default null,
    id_column text default 'id',
    excluded_columns text[] default '{}')
    returns void
    language plpgsql as $$
declare
    arguments text;
    unknown   text[];
    overlap   text[];
begin
    if entity_type is null or entity_type !~ '^[a-z][a-z0-9_]{0,62}$' then
        raise exception 'pipedesk_audit.attach: entity_type must be lower snake_case (e.g. lead), not %', coalesce(entity_type, 'null')
            using errcode = 'invalid_parameter_value';
    end if;
    tracked_columns := coalesce(tracked_columns, '{}');
    excluded_columns := coalesce(excluded_columns, '{}');
    id_column := coalesce(nullif(id_column, ''), 'id');
    status_column := nullif(status_column, '');
    if cardinality(tracked_columns) = 0 and status_column is null then
        raise exception 'pipedesk_audit.attach: name at least one tracked column for %', target
            using errcode = 'invalid_parameter_value';
    end if;

    select array_agg(col order by col) into unknown
      from unnest(tracked_columns || excluded_columns || id_column || status_column) col
     where col is not null
       and not exists (select 1 from pg_attribute a
                        where a.attrelid = target and a.attname = col and a.attnum > 0 and not a.attisdropped);
    if unknown is not null then
        raise exception 'pipedesk_audit.attach: % has no column(s) %', target, array_to_string(unknown, ', ')
            using errcode = 'undefined_column';
    end if;

    select array_agg(col order by col) into overlap
      from unnest(excluded_columns) col
     where col = any (tracked_columns || id_column || status_column);
    if overlap is not null then
        raise exception 'pipedesk_audit.attach: excluded column(s) % of % cannot also be the id, status or a tracked column',
            array_to_string(overlap, ', '), target using errcode = 'invalid_parameter_value';
    end if;

    arguments := format('%L, %L, %L, %L, %L', entity_type, id_column, coalesce(status_column, ''),
        tracked_columns::text, excluded_columns::text);
    execute format('create or replace trigger pipedesk_audit_capture after insert or update or delete on %s '
                   'for each row execute function pipedesk_audit.capture_row_change(%s)', target, arguments);
    execute format('create or replace trigger pipedesk_audit_capture_truncate before truncate on %s '
                   'for each statement execute function pipedesk_audit.capture_row_change(%s)', target, arguments);
end;
$$;

-- Stops capturing changes of a table.
create function pipedesk_audit.detach(target regclass) returns void
    language plpgsql as $$
begin
    execute format('drop trigger if exists pipedesk_audit_capture on %s', target);
    execute format('drop trigger if exists pipedesk_audit_capture_truncate on %s', target);
end;
$$;

-- ---- End of the capture machinery. Installing it into another database (e.g. a Supabase
-- ---- project): docs/audit-database-capture.md. Below: the local/demo CRM schema; a real CRM
-- ---- keeps its own tables and attaches the capture to them.
create table leads (
    id          uuid        primary key default gen_random_uuid(),
    name        text        not null,
    email       text,
    phone       text,
    company     text,
    status      text        not null default 'new'
                check (status in ('new', 'contacted', 'qualified', 'unqualified', 'converted')),
    source      text,
    value       numeric(14, 2),
    owner_id    text,
    notes       text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index leads_owner on leads (owner_id, status);

create table deals (
    id                   uuid        primary key default gen_random_uuid(),
    title                text        not null,
    lead_id              uuid        references leads (id) on delete set null,
    stage                text        not null default 'qualification'
                         check (stage in ('qualification', 'proposal', 'negotiation', 'won', 'lost')),
    amount               numeric(14, 2),
    currency             char(3)     not null default 'USD',
    expected_close_date  date,
    owner_id             text,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);
create index deals_owner on deals (owner_id, stage);
create index deals_lead on deals (lead_id);

-- Tracked: the business fields; created_at/updated_at only bump and are never an audit event
-- on their own. A deal's pipeline stage is its status: a stage change is 'status_change'.
do $$
begin
    perform pipedesk_audit.attach('leads', 'lead',
        '{name,email,phone,company,status,source,value,owner_id,notes}', status_column => 'status');
    perform pipedesk_audit.attach('deals', 'deal',
        '{title,lead_id,stage,amount,currency,expected_close_date,owner_id}', status_column => 'stage');
end;
$$;
