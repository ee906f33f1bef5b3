package dev.pipedesk.bench;

import dev.pipedesk.core.calendar.Attendee;
import dev.pipedesk.core.calendar.EventView;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The timeline benchmark's data: leads, deals and contacts (no tables of their own: the CRM's
 * business), their meetings in {@code calendar_events}, their logged e-mails in
 * {@code crm_emails} and the audit trail of all of them in {@code audit_logs}, shaped as the
 * producers write them:
 * <ul>
 *   <li>an entity's own rows as the database capture (V3) writes them: {@code create}, then
 *       {@code update} / {@code status_change} with the whole row in before/after and
 *       {@code {column: {old, new}}} changes, source {@code database};</li>
 *   <li>a meeting's rows with entity type {@code calendar_event} and the meeting's id:
 *       {@code create}/{@code update}/{@code cancel} by users (source {@code calendar}) and
 *       {@code sync_create}/{@code sync_update}/{@code sync_cancel} by {@code system:google-sync}
 *       (source {@code google_sync}), the meeting as the API shows it in before/after;</li>
 *   <li>an e-mail's rows with entity type {@code email}: {@code create} when logged, {@code unlink}
 *       when a mis-logged one was unlinked.</li>
 * </ul>
 * Meetings carry attendees (the entity's e-mail among them) and name their entity in the
 * description, as the earlier backend's clients wrote them; 10% are linked to nothing and 5% are
 * cancelled; 2% of the e-mails are unlinked. Everything spreads over three years before a fixed
 * end ({@link #END}), audit rows are inserted in time order (ids grow with time, as the
 * audit-writer assigns them), and every value comes from a fixed seed: the same size gives the
 * same database, byte for byte in its rows.
 */
public final class BenchDataGenerator {
    /** Bump when the shape of the generated rows changes: the stored database is then regenerated. */
    public static final int VERSION = 2;
    public static final long SEED = 20_261_010L;
    /** The newest audit row is just before this; meetings may start up to 60 days after it. */
    public static final Instant END = Instant.parse("2026-11-30T00:00:00Z");
    public static final Duration SPAN = Duration.ofDays(3 * 365);
    static final int USERS = 200;
    private static final Instant BEGIN = END.minus(SPAN);
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final int COPY_CHUNK = 1 << 20;

    // audit row kinds
    private static final byte ENTITY_CREATE = 0;
    private static final byte ENTITY_UPDATE = 1;
    private static final byte ENTITY_STATUS = 2;
    private static final byte MEETING_CREATE = 3;
    private static final byte MEETING_SYNC_CREATE = 4;
    private static final byte MEETING_UPDATE = 5;
    private static final byte MEETING_SYNC_UPDATE = 6;
    private static final byte MEETING_CANCEL = 7;
    private static final byte MEETING_SYNC_CANCEL = 8;
    private static final byte EMAIL_CREATE = 9;
    private static final byte EMAIL_UNLINK = 10;

    // random streams, one per kind of thing, so each value is a pure function of (kind, index)
    private static final long ENTITY = 1;
    private static final long MEETING = 2;
    private static final long EMAIL = 3;
    private static final long AUDIT = 4;
    private static final long WEIGHT = 5;

    private static final String[] SUMMARIES = {"Discovery call", "Demo", "Contract review", "Quarterly check-in",
            "Onboarding", "Pricing discussion", "Technical deep dive", "Kick-off", "Renewal", "Security review"};
    private static final String[] SUBJECTS = {"Proposal", "Next steps", "Pricing", "Contract draft", "Invoice",
            "Meeting notes", "Introduction", "Follow-up", "Question about the demo", "Renewal terms"};
    private static final String[] LEAD_STATUSES = {"new", "contacted", "qualified", "unqualified", "converted"};
    private static final String[] DEAL_STAGES = {"qualification", "proposal", "negotiation", "won", "lost"};
    private static final String[] SOURCES = {"website", "referral", "event", "cold_call", "partner"};
    private static final String[] RESPONSES = {"needsAction", "accepted", "declined", "tentative"};
    private static final String[] USER_AGENTS = {
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
            "PipeDeskMobile/3.2 (iOS 17.5)"};
    private static final String CALENDAR = "team@pipedesk.example";

    private final TimelineDataSize size;
    private final long seed;
    private final int bigDeal;

    public BenchDataGenerator(TimelineDataSize size) {
        this(size, SEED);
    }

    BenchDataGenerator(TimelineDataSize size, long seed) {
        this.size = size;
        this.seed = seed;
        this.bigDeal = size.entities();
    }

    /**
     * What was generated, for the benchmark's queries.
     *
     * @param typicalType the type of an ordinary entity whose own audit rows, meetings and e-mails are closest to the means
     * @param busyUser    the actor with the most audit rows (the audit-log API's user filter)
     */
    public record Summary(long auditRows, long meetings, long emails, String bigDealId, String bigDealEmail,
                          String typicalType, String typicalId, String typicalEmail, int typicalOwnAudit,
                          int typicalMeetings, int typicalEmails, String busyUser) {
    }

    // --- the entities ---------------------------------------------------------------------------

    String entityType(int entity) {
        if (entity == bigDeal) {
            return "deal";
        }
        int bucket = entity % 10;
        return bucket < 4 ? "lead" : bucket < 7 ? "deal" : "contact";
    }

    String entityId(int entity) {
        return uuid(ENTITY, entity).toString();
    }

    String entityEmail(int entity) {
        return "person" + entity + "@customer" + (entity % 5_000) + ".example";
    }

    private long entityCreated(int entity) {
        if (entity == bigDeal) {
            return BEGIN.toEpochMilli() + DAY;
        }
        return BEGIN.toEpochMilli() + (long) (random(ENTITY, entity).nextDouble() * SPAN.toMillis() * 0.7);
    }

    static String user(int n) {
        return "user-" + n;
    }

    private static String userEmail(String user) {
        return user + "@pipedesk.example";
    }

    // --- meetings -------------------------------------------------------------------------------

    /** A meeting, a pure function of its index: indexes from {@code size.meetings()} on are the big deal's. */
    private record Meeting(int index, UUID id, int entity, long start, long end, long created, boolean cancelled,
                           int updates, String owner, boolean fromGoogle) {
    }

    private Meeting meeting(int index) {
        SplittableRandom r = random(MEETING, index);
        boolean big = index >= size.meetings();
        int entity = big ? bigDeal : r.nextInt(10) == 0 ? -1 : r.nextInt(size.entities());
        long from = entity < 0 ? BEGIN.toEpochMilli() : entityCreated(entity) + DAY;
        long to = END.toEpochMilli() + 60 * DAY;
        long start = from + (long) (r.nextDouble() * (to - from));
        start -= start % (15 * MINUTE);
        long end = start + (30 + 15L * r.nextInt(5)) * MINUTE;
        long created = Math.max(BEGIN.toEpochMilli(), start - (1 + r.nextInt(30)) * DAY - r.nextInt(24) * HOUR);
        created = Math.min(created, END.toEpochMilli() - HOUR);
        boolean cancelled = r.nextInt(20) == 0;
        int updates = r.nextInt(4);
        String owner = user(r.nextInt(USERS));
        boolean fromGoogle = r.nextInt(5) == 0;
        return new Meeting(index, uuid(MEETING, index), entity, start, end, created, cancelled, updates, owner, fromGoogle);
    }

    private String meetingJson(Meeting m, SplittableRandom r, String summarySuffix, long startShift, boolean cancelled,
                               long updatedAt) {
        SplittableRandom fixed = random(MEETING, m.index());
        Json json = new Json();
        json.open().field("id", m.id().toString())
                .field("google_event_id", Long.toString(fixed.nextLong() & Long.MAX_VALUE, 32))
                .field("calendar_id", CALENDAR)
                .field("summary", SUMMARIES[m.index() % SUMMARIES.length] + summarySuffix)
                .field("description", description(m))
                .field("start_time", Instant.ofEpochMilli(m.start() + startShift).toString())
                .field("end_time", Instant.ofEpochMilli(m.end() + startShift).toString())
                .field("meet_link", "https://meet.google.com/" + meetCode(m.index()))
                .field("conference_status", "success")
                .field("html_link", "https://calendar.google.com/event?eid=" + m.id().toString().substring(0, 8))
                .field("status", cancelled ? "cancelled" : "confirmed")
                .field("organizer_email", userEmail(m.owner()))
                .raw("attendees", snapshotAttendees(m))
                .field("entity_type", m.entity() < 0 ? null : entityType(m.entity()))
                .field("entity_id", m.entity() < 0 ? null : entityId(m.entity()))
                .field("created_by", m.owner())
                .field("created_at", Instant.ofEpochMilli(m.created()).toString())
                .field("updated_at", Instant.ofEpochMilli(updatedAt).toString())
                .close();
        return json.toString();
    }

    private String description(Meeting m) {
        String agenda = "Agenda: introductions, requirements, next steps.";
        return m.entity() < 0 ? agenda : agenda + "\n\nCRM: " + entityType(m.entity()) + " " + entityId(m.entity());
    }

    /** A Meet code such as {@code abc-defg-hij}, from the meeting's index. */
    private static String meetCode(int index) {
        long h = mix(index + 0x5EEDL);
        StringBuilder code = new StringBuilder(12);
        for (int i = 0; i < 10; i++) {
            if (i == 3 || i == 7) {
                code.append('-');
            }
            code.append((char) ('a' + Math.floorMod(h >>> (i * 6), 26)));
        }
        return code.toString();
    }

    /** The meeting's attendees. */
    private List<Attendee> attendees(Meeting m) {
        SplittableRandom r = random(MEETING, m.index() + 7_000_000_000L);
        List<Attendee> attendees = new ArrayList<>();
        attendees.add(new Attendee(userEmail(m.owner()), "accepted", null, true, false));
        if (m.entity() >= 0) {
            attendees.add(new Attendee(entityEmail(m.entity()), RESPONSES[r.nextInt(RESPONSES.length)], null, false, false));
        }
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
            attendees.add(new Attendee("guest" + r.nextInt(20_000) + "@partner" + r.nextInt(500) + ".example",
                    RESPONSES[r.nextInt(RESPONSES.length)], null, false, false));
        }
        return attendees;
    }

    /** The attendees as {@code calendar_events.attendees} holds them: the calendar function's own JSON of them. */
    private String storedAttendees(Meeting m) {
        return dev.pipedesk.core.Json.write(attendees(m));
    }

    /** The attendees as a meeting's audit snapshot holds them: as the API shows them ({@link EventView}). */
    private String snapshotAttendees(Meeting m) {
        return dev.pipedesk.core.Json.write(attendees(m).stream().map(a -> new EventView.AttendeeView(a.email(),
                a.responseStatus(), a.displayName(), a.organizer(), a.optional())).toList());
    }

    // --- e-mails --------------------------------------------------------------------------------

    private record Email(int index, UUID id, int entity, long sent, long logged, boolean inbound, boolean unlinked,
                         String loggedBy) {
    }

    private Email email(int index) {
        SplittableRandom r = random(EMAIL, index);
        boolean big = index >= size.emails();
        int entity = big ? bigDeal : r.nextInt(size.entities());
        long from = entityCreated(entity);
        long sent = from + (long) (r.nextDouble() * (END.toEpochMilli() - 2 * HOUR - from));
        long logged = sent + 1 + r.nextInt(60) * MINUTE;
        return new Email(index, uuid(EMAIL, index), entity, sent, logged, r.nextBoolean(), r.nextInt(50) == 0,
                user(r.nextInt(USERS)));
    }

    private String emailJson(Email e, boolean unlinked) {
        String[] to = e.inbound() ? new String[]{userEmail(e.loggedBy())} : new String[]{entityEmail(e.entity())};
        Json json = new Json();
        json.open().field("id", e.id().toString())
                .field("message_id", messageId(e))
                .field("thread_id", "thread-" + (e.index() / 3))
                .field("direction", e.inbound() ? "inbound" : "outbound")
                .field("from_address", e.inbound() ? entityEmail(e.entity()) : userEmail(e.loggedBy()))
                .raw("to_addresses", "[\"" + to[0] + "\"]")
                .raw("cc_addresses", "[]")
                .field("subject", emailSubject(e))
                .field("snippet", "Hi, following up on our conversation about the " + SUBJECTS[e.index() % SUBJECTS.length]
                        .toLowerCase() + ".")
                .field("sent_at", Instant.ofEpochMilli(e.sent()).toString())
                .field("entity_type", entityType(e.entity()))
                .field("entity_id", entityId(e.entity()))
                .field("logged_by", e.loggedBy())
                .field("logged_at", Instant.ofEpochMilli(e.logged()).toString())
                .field("unlinked_at", unlinked ? Instant.ofEpochMilli(e.logged() + HOUR).toString() : null)
                .field("unlinked_by", unlinked ? e.loggedBy() : null)
                .close();
        return json.toString();
    }

    private static String messageId(Email e) {
        return "<" + e.id().toString().replace("-", "") + "@mail.pipedesk.example>";
    }

    private static String emailSubject(Email e) {
        return (e.index() % 3 == 0 ? "" : "Re: ") + SUBJECTS[e.index() % SUBJECTS.length];
    }

    // --- audit rows -----------------------------------------------------------------------------

    /** Audit rows as (time, kind, ref), sorted by time before they are rendered. */
    private static final class AuditPlan {
        long[] times = new long[1 << 16];
        byte[] kinds = new byte[1 << 16];
        int[] refs = new int[1 << 16];
        int[] sub = new int[1 << 16];
        int count;

        void add(long time, byte kind, int ref, int subIndex) {
            if (count == times.length) {
                int grown = times.length * 2;
                times = Arrays.copyOf(times, grown);
                kinds = Arrays.copyOf(kinds, grown);
                refs = Arrays.copyOf(refs, grown);
                sub = Arrays.copyOf(sub, grown);
            }
            times[count] = time;
            kinds[count] = kind;
            refs[count] = ref;
            sub[count] = subIndex;
            count++;
        }
    }

    /** The plan, and per ordinary entity its own audit rows, meetings and e-mails (to pick the typical one). */
    private record Plan(AuditPlan audit, int[] ownAudit, int[] meetings, int[] emails, int ordinaryMeetingAndEmailAudit) {
    }

    private Plan plan() {
        AuditPlan audit = new AuditPlan();
        int[] ownAudit = new int[size.entities() + 1];
        int[] meetingCount = new int[size.entities() + 1];
        int[] emailCount = new int[size.entities() + 1];
        int ordinaryOther = 0;
        for (int i = 0; i < size.meetings() + size.bigMeetings(); i++) {
            Meeting m = meeting(i);
            if (m.entity() >= 0) {
                meetingCount[m.entity()]++;
            }
            int before = audit.count;
            audit.add(m.created(), m.fromGoogle() ? MEETING_SYNC_CREATE : MEETING_CREATE, i, 0);
            long last = Math.min(m.start(), END.toEpochMilli() - MINUTE);
            SplittableRandom r = random(MEETING, i + 3_000_000_000L);
            for (int u = 1; u <= m.updates(); u++) {
                long at = m.created() + 1 + (long) (r.nextDouble() * Math.max(1, last - m.created()));
                audit.add(at, r.nextInt(3) == 0 ? MEETING_SYNC_UPDATE : MEETING_UPDATE, i, u);
            }
            if (m.cancelled()) {
                audit.add(Math.max(m.created() + 2, last - HOUR), r.nextBoolean() ? MEETING_CANCEL : MEETING_SYNC_CANCEL, i, 99);
            }
            if (i < size.meetings()) {
                ordinaryOther += audit.count - before;
            }
        }
        for (int i = 0; i < size.emails() + size.bigEmails(); i++) {
            Email e = email(i);
            emailCount[e.entity()]++;
            int before = audit.count;
            audit.add(e.logged(), EMAIL_CREATE, i, 0);
            if (e.unlinked()) {
                audit.add(e.logged() + HOUR, EMAIL_UNLINK, i, 1);
            }
            if (i < size.emails()) {
                ordinaryOther += audit.count - before;
            }
        }
        // The entities' own rows: what is left of the ordinary audit rows, spread by weight (0.5..1.5).
        long own = Math.max(size.entities(), size.auditRows() - (long) ordinaryOther);
        double[] weights = new double[size.entities()];
        double total = 0;
        for (int e = 0; e < weights.length; e++) {
            weights[e] = 0.5 + random(WEIGHT, e).nextDouble();
            total += weights[e];
        }
        long assigned = 0;
        for (int e = 0; e < weights.length; e++) {
            ownAudit[e] = Math.max(1, (int) Math.floor(own * weights[e] / total));
            assigned += ownAudit[e];
        }
        for (int e = 0; assigned < own; e = (e + 1) % weights.length) {
            ownAudit[e]++;
            assigned++;
        }
        ownAudit[bigDeal] = size.bigAudit();
        for (int e = 0; e <= bigDeal; e++) {
            long created = entityCreated(e);
            audit.add(created, ENTITY_CREATE, e, 0);
            SplittableRandom r = random(ENTITY, e + 5_000_000_000L);
            for (int u = 1; u < ownAudit[e]; u++) {
                long at = created + 1 + (long) (r.nextDouble() * (END.toEpochMilli() - MINUTE - created));
                audit.add(at, r.nextInt(4) == 0 ? ENTITY_STATUS : ENTITY_UPDATE, e, u);
            }
        }
        return new Plan(audit, ownAudit, meetingCount, emailCount, ordinaryOther);
    }

    private void renderAudit(AuditPlan plan, int row, StringBuilder out) {
        long time = plan.times[row];
        int ref = plan.refs[row];
        int sub = plan.sub[row];
        byte kind = plan.kinds[row];
        SplittableRandom r = random(AUDIT, ((long) kind << 40) ^ ((long) ref << 8) ^ sub);
        String occurred = Instant.ofEpochMilli(time).toString();
        String recorded = Instant.ofEpochMilli(time + 50 + r.nextInt(900)).toString();
        switch (kind) {
            case ENTITY_CREATE, ENTITY_UPDATE, ENTITY_STATUS -> {
                String type = entityType(ref);
                String actor = r.nextInt(10) == 0 ? "system:crm-import" : user(r.nextInt(USERS));
                boolean status = kind == ENTITY_STATUS && !type.equals("contact"); // contacts have no status column
                String action = kind == ENTITY_CREATE ? "create" : status ? "status_change" : "update";
                String before = null;
                String after;
                String changes = null;
                if (kind == ENTITY_CREATE) {
                    after = entityJson(ref, r, time, null, null);
                } else {
                    String[] changed = entityChange(type, ref, r, time, status);
                    before = changed[0];
                    after = changed[1];
                    changes = changed[2];
                }
                auditLine(out, type, entityId(ref), action, actor, occurred, recorded, before, after, changes,
                        "database", r.nextBoolean() ? "req-" + Long.toHexString(r.nextLong()) : null, null, null);
            }
            case MEETING_CREATE, MEETING_SYNC_CREATE, MEETING_UPDATE, MEETING_SYNC_UPDATE, MEETING_CANCEL,
                 MEETING_SYNC_CANCEL -> {
                Meeting m = meeting(ref);
                boolean sync = kind == MEETING_SYNC_CREATE || kind == MEETING_SYNC_UPDATE || kind == MEETING_SYNC_CANCEL;
                String actor = sync ? "system:google-sync" : m.owner();
                String action = switch (kind) {
                    case MEETING_CREATE -> "create";
                    case MEETING_SYNC_CREATE -> "sync_create";
                    case MEETING_UPDATE -> "update";
                    case MEETING_SYNC_UPDATE -> "sync_update";
                    case MEETING_CANCEL -> "cancel";
                    default -> "sync_cancel";
                };
                String before = null;
                String after;
                String changes = null;
                if (kind == MEETING_CREATE || kind == MEETING_SYNC_CREATE) {
                    after = meetingJson(m, r, "", 0, false, m.created());
                } else if (kind == MEETING_CANCEL || kind == MEETING_SYNC_CANCEL) {
                    before = meetingJson(m, r, "", 0, false, m.created());
                    after = meetingJson(m, r, "", 0, true, time);
                    changes = "{\"status\":{\"old\":\"confirmed\",\"new\":\"cancelled\"}}";
                } else if (sub % 2 == 1) {
                    long shift = (30L * (1 + r.nextInt(8))) * MINUTE;
                    before = meetingJson(m, r, "", 0, false, m.created());
                    after = meetingJson(m, r, "", shift, false, time);
                    changes = "{\"start_time\":{\"old\":\"" + Instant.ofEpochMilli(m.start()) + "\",\"new\":\""
                            + Instant.ofEpochMilli(m.start() + shift) + "\"},\"end_time\":{\"old\":\""
                            + Instant.ofEpochMilli(m.end()) + "\",\"new\":\"" + Instant.ofEpochMilli(m.end() + shift) + "\"}}";
                } else {
                    before = meetingJson(m, r, "", 0, false, m.created());
                    after = meetingJson(m, r, " (updated)", 0, false, time);
                    String summary = SUMMARIES[m.index() % SUMMARIES.length];
                    changes = "{\"summary\":{\"old\":\"" + summary + "\",\"new\":\"" + summary + " (updated)\"}}";
                }
                auditLine(out, "calendar_event", m.id().toString(), action, actor, occurred, recorded, before, after,
                        changes, sync ? "google_sync" : "calendar", sync ? null : "req-" + Long.toHexString(r.nextLong()),
                        sync ? null : "203.0.113." + (1 + r.nextInt(254)), sync ? null : USER_AGENTS[r.nextInt(USER_AGENTS.length)]);
            }
            default -> {
                Email e = email(ref);
                boolean unlink = kind == EMAIL_UNLINK;
                auditLine(out, "email", e.id().toString(), unlink ? "unlink" : "create", e.loggedBy(), occurred, recorded,
                        unlink ? emailJson(e, false) : null, emailJson(e, unlink), null, "calendar",
                        "req-" + Long.toHexString(r.nextLong()), "203.0.113." + (1 + r.nextInt(254)),
                        USER_AGENTS[r.nextInt(USER_AGENTS.length)]);
            }
        }
    }

    /** [before, after, changes] of an update (or a status change) of one to three tracked columns. */
    private String[] entityChange(String type, int entity, SplittableRandom r, long time, boolean status) {
        String statusColumn = type.equals("deal") ? "stage" : type.equals("lead") ? "status" : null;
        String[] values = type.equals("deal") ? DEAL_STAGES : LEAD_STATUSES;
        String column;
        String oldValue;
        String newValue;
        if (status && statusColumn != null) {
            int from = r.nextInt(values.length - 1);
            column = statusColumn;
            oldValue = values[from];
            newValue = values[from + 1];
        } else {
            List<String> columns = switch (type) {
                case "deal" -> List.of("amount", "expected_close_date", "title", "owner_id");
                case "lead" -> List.of("value", "phone", "notes", "owner_id", "company");
                default -> List.of("phone", "company", "owner_id", "name");
            };
            column = columns.get(r.nextInt(columns.size()));
            oldValue = scalar(column, r);
            newValue = scalar(column, r);
        }
        String before = entityJson(entity, r, time - DAY, column, oldValue);
        String after = entityJson(entity, r, time, column, newValue);
        String changes = "{\"" + column + "\":{\"old\":" + jsonValue(column, oldValue) + ",\"new\":"
                + jsonValue(column, newValue) + "}}";
        return new String[]{before, after, changes};
    }

    private String scalar(String column, SplittableRandom r) {
        return switch (column) {
            case "amount", "value" -> String.format(java.util.Locale.ROOT, "%.2f", r.nextInt(10_000_000) / 100.0);
            case "expected_close_date" -> END.minus(Duration.ofDays(r.nextInt(900))).toString().substring(0, 10);
            case "owner_id" -> user(r.nextInt(USERS));
            case "phone" -> "+1-555-" + (1000 + r.nextInt(9000));
            case "company" -> "Company " + r.nextInt(20_000);
            case "notes" -> "Called back, " + SUBJECTS[r.nextInt(SUBJECTS.length)].toLowerCase() + " next.";
            case "title" -> "Deal " + r.nextInt(100_000);
            default -> "Person " + r.nextInt(100_000);
        };
    }

    private static String jsonValue(String column, String value) {
        return column.equals("amount") || column.equals("value") ? value : "\"" + value + "\"";
    }

    /** A lead, deal or contact row as {@code to_jsonb(row)} writes it, one column overridden. */
    private String entityJson(int entity, SplittableRandom r, long time, String column, String value) {
        String type = entityType(entity);
        SplittableRandom fixed = random(ENTITY, entity + 9_000_000_000L);
        Json json = new Json().open().field("id", entityId(entity));
        long created = entityCreated(entity);
        switch (type) {
            case "deal" -> json
                    .field("title", pick(column, "title", value, "Deal " + entity))
                    .field("lead_id", uuid(ENTITY, fixed.nextInt(Math.max(1, size.entities()))).toString())
                    .field("stage", pick(column, "stage", value, DEAL_STAGES[fixed.nextInt(DEAL_STAGES.length)]))
                    .raw("amount", pick(column, "amount", value, String.format(java.util.Locale.ROOT, "%.2f",
                            fixed.nextInt(10_000_000) / 100.0)))
                    .field("currency", "USD")
                    .field("expected_close_date", pick(column, "expected_close_date", value, "2026-12-31"))
                    .field("owner_id", pick(column, "owner_id", value, user(fixed.nextInt(USERS))));
            case "lead" -> json
                    .field("name", "Person " + entity)
                    .field("email", entityEmail(entity))
                    .field("phone", pick(column, "phone", value, "+1-555-0100"))
                    .field("company", pick(column, "company", value, "Company " + (entity % 20_000)))
                    .field("status", pick(column, "status", value, LEAD_STATUSES[fixed.nextInt(LEAD_STATUSES.length)]))
                    .field("source", SOURCES[fixed.nextInt(SOURCES.length)])
                    .raw("value", pick(column, "value", value, String.format(java.util.Locale.ROOT, "%.2f",
                            fixed.nextInt(10_000_000) / 100.0)))
                    .field("owner_id", pick(column, "owner_id", value, user(fixed.nextInt(USERS))))
                    .field("notes", pick(column, "notes", value, null));
            default -> json
                    .field("name", pick(column, "name", value, "Person " + entity))
                    .field("email", entityEmail(entity))
                    .field("phone", pick(column, "phone", value, "+1-555-0100"))
                    .field("company", pick(column, "company", value, "Company " + (entity % 20_000)))
                    .field("owner_id", pick(column, "owner_id", value, user(fixed.nextInt(USERS))));
        }
        return json.field("created_at", Instant.ofEpochMilli(created).toString())
                .field("updated_at", Instant.ofEpochMilli(Math.max(created, time)).toString())
                .close().toString();
    }

    private static String pick(String column, String name, String value, String otherwise) {
        return name.equals(column) ? value : otherwise;
    }

    // --- loading --------------------------------------------------------------------------------

    /** Writes every row with COPY on {@code connection} (migrated, empty tables); returns what it wrote. */
    public Summary load(Connection connection) throws SQLException {
        Plan plan = plan();
        PGConnection pg = connection.unwrap(PGConnection.class);
        copy(pg, "copy calendar_events (id, google_event_id, calendar_id, summary, description, start_time, end_time, "
                        + "meet_link, conference_status, html_link, status, organizer_email, attendees, entity_type, entity_id, "
                        + "created_by, google_etag, google_updated_at, created_at, updated_at) from stdin",
                size.meetings() + size.bigMeetings(), this::meetingLine);
        copy(pg, "copy crm_emails (id, message_id, thread_id, direction, from_address, to_addresses, cc_addresses, subject, "
                        + "snippet, sent_at, entity_type, entity_id, logged_by, logged_at, unlinked_at, unlinked_by) from stdin",
                size.emails() + size.bigEmails(), this::emailLine);
        AuditPlan audit = plan.audit();
        if (audit.count >= (1 << 22)) {
            throw new IllegalStateException("at most 4,194,303 audit rows: " + audit.count);
        }
        long base = BEGIN.toEpochMilli() - DAY;
        long[] order = new long[audit.count];
        for (int i = 0; i < audit.count; i++) {
            order[i] = ((audit.times[i] - base) << 22) | i;
        }
        Arrays.sort(order);
        copy(pg, "copy audit_logs (event_id, schema_version, entity_type, entity_id, action, actor_type, actor_id, "
                        + "occurred_at, recorded_at, before, after, changes, source, request_id, ip, user_agent) from stdin",
                audit.count, (i, out) -> renderAudit(audit, (int) (order[(int) i] & ((1 << 22) - 1)), out));

        int typical = typical(plan);
        return new Summary(audit.count, size.meetings() + size.bigMeetings(), size.emails() + size.bigEmails(),
                entityId(bigDeal), entityEmail(bigDeal), entityType(typical), entityId(typical), entityEmail(typical),
                plan.ownAudit()[typical], plan.meetings()[typical], plan.emails()[typical], busyUser(connection));
    }

    private static String busyUser(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("select actor_id from audit_logs where actor_id like 'user-%' "
                     + "group by actor_id order by count(*) desc, actor_id limit 1")) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The ordinary deal whose own audit rows, meetings and e-mails are nearest their means (relative distance). */
    private int typical(Plan plan) {
        double own = 0;
        double meetings = 0;
        double emails = 0;
        int n = size.entities();
        for (int e = 0; e < n; e++) {
            own += plan.ownAudit()[e];
            meetings += plan.meetings()[e];
            emails += plan.emails()[e];
        }
        own /= n;
        meetings /= n;
        emails /= n;
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int e = 0; e < n; e++) {
            if (!entityType(e).equals("deal")) {
                continue;
            }
            double d = Math.abs(plan.ownAudit()[e] - own) / Math.max(1, own)
                    + Math.abs(plan.meetings()[e] - meetings) / Math.max(1, meetings)
                    + Math.abs(plan.emails()[e] - emails) / Math.max(1, emails);
            if (d < bestDistance) {
                bestDistance = d;
                best = e;
            }
        }
        return best;
    }

    private void meetingLine(long index, StringBuilder out) {
        Meeting m = meeting((int) index);
        SplittableRandom r = random(MEETING, index + 1_000_000_000L);
        SplittableRandom fixed = random(MEETING, m.index());
        long updated = m.created() + (m.updates() > 0 ? HOUR : 0);
        Text.line(out,
                m.id().toString(),
                Long.toString(fixed.nextLong() & Long.MAX_VALUE, 32),
                CALENDAR,
                SUMMARIES[m.index() % SUMMARIES.length],
                description(m),
                Instant.ofEpochMilli(m.start()).toString(),
                Instant.ofEpochMilli(m.end()).toString(),
                "https://meet.google.com/" + meetCode(m.index()),
                "success",
                "https://calendar.google.com/event?eid=" + m.id().toString().substring(0, 8),
                m.cancelled() ? "cancelled" : "confirmed",
                userEmail(m.owner()),
                storedAttendees(m),
                m.entity() < 0 ? null : entityType(m.entity()),
                m.entity() < 0 ? null : entityId(m.entity()),
                m.owner(),
                "\"" + Long.toHexString(r.nextLong()) + "\"",
                Instant.ofEpochMilli(updated).toString(),
                Instant.ofEpochMilli(m.created()).toString(),
                Instant.ofEpochMilli(updated).toString());
    }

    private void emailLine(long index, StringBuilder out) {
        Email e = email((int) index);
        String to = e.inbound() ? userEmail(e.loggedBy()) : entityEmail(e.entity());
        SplittableRandom r = random(EMAIL, index + 1_000_000_000L);
        String cc = r.nextInt(4) == 0 ? "{" + "colleague" + r.nextInt(USERS) + "@pipedesk.example}" : "{}";
        Text.line(out,
                e.id().toString(),
                messageId(e),
                "thread-" + (e.index() / 3),
                e.inbound() ? "inbound" : "outbound",
                e.inbound() ? entityEmail(e.entity()) : userEmail(e.loggedBy()),
                "{" + to + "}",
                cc,
                emailSubject(e),
                "Hi, following up on our conversation about the " + SUBJECTS[e.index() % SUBJECTS.length].toLowerCase() + ".",
                Instant.ofEpochMilli(e.sent()).toString(),
                entityType(e.entity()),
                entityId(e.entity()),
                e.loggedBy(),
                Instant.ofEpochMilli(e.logged()).toString(),
                e.unlinked() ? Instant.ofEpochMilli(e.logged() + HOUR).toString() : null,
                e.unlinked() ? e.loggedBy() : null);
    }

    private static void auditLine(StringBuilder out, String entityType, String entityId, String action, String actor,
                                  String occurred, String recorded, String before, String after, String changes,
                                  String source, String requestId, String ip, String userAgent) {
        UUID eventId = UUID.nameUUIDFromBytes((entityType + '|' + entityId + '|' + action + '|' + occurred + '|' + recorded)
                .getBytes(StandardCharsets.UTF_8));
        Text.line(out, eventId.toString(), "1", entityType, entityId, action,
                actor.startsWith("system:") ? "system" : "user", actor, occurred, recorded, before, after, changes, source,
                requestId, ip, userAgent);
    }

    @FunctionalInterface
    private interface LineWriter {
        void write(long index, StringBuilder out);
    }

    private static void copy(PGConnection connection, String sql, long rows, LineWriter writer) throws SQLException {
        CopyIn copy = connection.getCopyAPI().copyIn(sql);
        try {
            StringBuilder out = new StringBuilder(COPY_CHUNK + 64 * 1024);
            for (long i = 0; i < rows; i++) {
                writer.write(i, out);
                if (out.length() >= COPY_CHUNK) {
                    flush(copy, out);
                }
            }
            flush(copy, out);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void flush(CopyIn copy, StringBuilder out) throws SQLException {
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        out.setLength(0);
    }

    // --- helpers --------------------------------------------------------------------------------

    private SplittableRandom random(long stream, long index) {
        return new SplittableRandom(mix(seed ^ mix(stream * 0x9E3779B97F4A7C15L ^ index)));
    }

    private UUID uuid(long stream, long index) {
        SplittableRandom r = random(stream + 100, index);
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;
        long low = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** COPY's text format: tab-separated, {@code \N} for null, backslash escapes. */
    static final class Text {
        private Text() {
        }

        static void line(StringBuilder out, String... columns) {
            for (int i = 0; i < columns.length; i++) {
                if (i > 0) {
                    out.append('\t');
                }
                String value = columns[i];
                if (value == null) {
                    out.append("\\N");
                    continue;
                }
                for (int c = 0; c < value.length(); c++) {
                    char ch = value.charAt(c);
                    switch (ch) {
                        case '\\' -> out.append("\\\\");
                        case '\t' -> out.append("\\t");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        default -> out.append(ch);
                    }
                }
            }
            out.append('\n');
        }
    }

    /** A tiny JSON object writer for generated (ASCII, known) values: fast enough for millions of rows. */
    static final class Json {
        private final StringBuilder out = new StringBuilder(512);
        private boolean first = true;

        Json open() {
            out.append('{');
            return this;
        }

        Json field(String name, String value) {
            name(name);
            if (value == null) {
                out.append("null");
            } else {
                out.append('"');
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        case '\t' -> out.append("\\t");
                        default -> out.append(c);
                    }
                }
                out.append('"');
            }
            return this;
        }

        Json raw(String name, String json) {
            name(name);
            out.append(json == null ? "null" : json);
            return this;
        }

        private void name(String name) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(name).append("\":");
        }

        Json close() {
            out.append('}');
            return this;
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
