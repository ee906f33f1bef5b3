-- Supabase's Data API (PostgREST) serves every table the API roles `anon` and `authenticated`
-- may use, and Supabase grants them ALL on each new table, sequence and function in `public` by
-- default privileges (of the owner `postgres`). PipeDesk's tables are never meant for that API:
-- revoke everything from both roles on each PipeDesk table, sequence and function, and stop the
-- migrating user's default privileges from granting them anything it creates in this schema
-- later (so a future migration's table is closed too). Row level security is not enabled: with
-- no grants there is nothing to filter, and RLS without policies would only hide the problem.
-- A database without these roles (plain PostgreSQL, Aurora) is left as it is.
do $$
declare
    this_schema text := current_schema();
    api_role text;
    pipedesk_table text;
    pipedesk_sequence text;
begin
    foreach api_role in array array['anon', 'authenticated'] loop
        if not exists (select 1 from pg_roles where rolname = api_role) then
            continue;
        end if;
        foreach pipedesk_table in array array['calendar_events', 'audit_outbox', 'audit_logs', 'leads', 'deals',
                'google_calendar_aliases', 'calendar_sync_state', 'calendar_watch_channels', 'crm_emails',
                'flyway_schema_history'] loop
            if to_regclass(format('%I.%I', this_schema, pipedesk_table)) is not null then
                execute format('revoke all on table %I.%I from %I', this_schema, pipedesk_table, api_role);
            end if;
        end loop;
        foreach pipedesk_sequence in array array[pg_get_serial_sequence(format('%I.%I', this_schema, 'audit_outbox'), 'id'),
                pg_get_serial_sequence(format('%I.%I', this_schema, 'audit_logs'), 'id')] loop
            execute format('revoke all on sequence %s from %I', pipedesk_sequence, api_role);
        end loop;
        execute format('revoke all on function %I.audit_logs_refuse_change() from %I', this_schema, api_role);
        -- The capture machinery's schema: never granted to the API roles by Supabase, made sure of.
        execute format('revoke all on schema pipedesk_audit from %I', api_role);
        execute format('revoke all on all functions in schema pipedesk_audit from %I', api_role);
        -- What the migrating user creates in this schema from now on is not granted to the API
        -- roles (Supabase's own defaults for other owners, e.g. supabase_admin, stay as they are).
        execute format('alter default privileges in schema %I revoke all on tables from %I', this_schema, api_role);
        execute format('alter default privileges in schema %I revoke all on sequences from %I', this_schema, api_role);
        execute format('alter default privileges in schema %I revoke all on functions from %I', this_schema, api_role);
    end loop;
end;
$$;
