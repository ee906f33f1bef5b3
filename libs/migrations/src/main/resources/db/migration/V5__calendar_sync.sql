-- Two-way Google Calendar sync (docs/sync.md). PostgreSQL is the system of record for watch
-- channels (Google has no API to list them) and for each synced calendar's sync state.

-- Calendar ids are canonical: an alias such as 'primary' is resolved once (calendars.get) to the
-- calendar's own id (its owner's e-mail for a primary calendar) and every table stores that id,
-- so one calendar never has two keys.
create table google_calendar_aliases (
    alias        text        primary key,
    calendar_id  text        not null,
    resolved_at  timestamptz not null default now()
);

-- One row per synced calendar.
--   state: syncing (push + incremental sync), poll_only (Google refuses push for it: synced by
--   every scheduled run), failed (404/403 on the calendar, or repeated 410s: failure_reason says).
--   sync_token is stored only with the last page's changes of a walk (never mid-walk).
create table calendar_sync_state (
    calendar_id           text        primary key,
    state                 text        not null default 'syncing'
                          check (state in ('syncing', 'poll_only', 'failed')),
    failure_reason        text,
    sync_token            text,
    sync_token_at         timestamptz,
    last_full_sync_at     timestamptz,
    last_sync_at          timestamptz,
    last_notification_at  timestamptz,
    full_syncs_in_a_row   integer     not null default 0,
    skipped_events        jsonb       not null default '[]'::jsonb,
    updated_at            timestamptz not null default now()
);

-- Every watch channel PipeDesk created. The token Google echoes in X-Goog-Channel-Token is a
-- secret: only its SHA-256 (hex) is stored. state 'active' with expires_at in the past reads as
-- expired; replaced_by names the channel that took over at renewal.
create table calendar_watch_channels (
    id                   text        primary key,
    calendar_id          text        not null references calendar_sync_state (calendar_id),
    resource_id          text,
    token_sha256         text        not null,
    address              text        not null,
    expires_at           timestamptz not null,
    state                text        not null default 'active' check (state in ('active', 'stopped')),
    replaced_by          text,
    last_message_number  bigint,
    created_at           timestamptz not null default now(),
    stopped_at           timestamptz
);
create index calendar_watch_channels_live on calendar_watch_channels (calendar_id, expires_at) where state = 'active';
