-- Meetings mirrored from Google Calendar. Google is the source of truth for the event itself;
-- this table is the CRM's fast, queryable copy plus the CRM link (entity_type/entity_id).
create table calendar_events (
    id                 uuid        primary key,
    google_event_id    text        not null,
    calendar_id        text        not null,
    summary            text        not null,
    description        text,
    start_time         timestamptz not null,
    end_time           timestamptz not null,
    meet_link          text,
    conference_status  text        not null default 'none'
                       check (conference_status in ('none', 'pending', 'success', 'failure')),
    html_link          text,
    status             text        not null default 'confirmed'
                       check (status in ('confirmed', 'tentative', 'cancelled')),
    organizer_email    text,
    attendees          jsonb       not null default '[]'::jsonb,
    entity_type        text        check (entity_type in ('lead', 'deal', 'contact')),
    entity_id          text,
    created_by         text        not null,
    idempotency_key    text,
    request_hash       text,
    google_etag        text,
    google_updated_at  timestamptz,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    constraint calendar_events_google_id_unique unique (calendar_id, google_event_id),
    constraint calendar_events_time_order check (end_time > start_time),
    constraint calendar_events_entity_pair check ((entity_type is null) = (entity_id is null))
);

-- An Idempotency-Key is scoped to the user who sent it.
create unique index calendar_events_idempotency_key
    on calendar_events (created_by, idempotency_key) where idempotency_key is not null;
create index calendar_events_start on calendar_events (start_time, id);
create index calendar_events_entity on calendar_events (entity_type, entity_id, start_time);
create index calendar_events_google_id on calendar_events (google_event_id);
