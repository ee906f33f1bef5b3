-- The unified timeline (docs/architecture.md, "The unified timeline"): the audit entries of the
-- meetings and e-mails linked to a lead, deal or contact, as one index range scan.
--
-- A meeting's or an e-mail's audit entry names the meeting or e-mail (entity_type 'calendar_event'
-- or 'email', entity_id its id); the CRM entity it was linked to is in its snapshot (after, or
-- before when there is no after: {"entity_type": "deal", "entity_id": "…", …}). Finding them
-- through the links (every linked meeting's id, then each one's entries) costs one index probe per
-- meeting or e-mail: thousands for a big deal, for a page of 50 and again for its total. Stored
-- here once, at insert, the link makes them a range of one index, read newest first and counted
-- by an index-only scan. An entry belongs to the entity its meeting or e-mail was linked to when
-- it happened, so a meeting moved to another deal keeps its earlier history with the first one.
alter table audit_logs
    add column linked_entity_type text generated always as (
        case when entity_type in ('calendar_event', 'email') then coalesce(after, before) ->> 'entity_type' end) stored,
    add column linked_entity_id text generated always as (
        case when entity_type in ('calendar_event', 'email') then coalesce(after, before) ->> 'entity_id' end) stored;

create index audit_logs_linked
    on audit_logs (linked_entity_type, linked_entity_id, occurred_at desc, id desc)
    where linked_entity_type is not null;
