package dev.pipedesk.timeline;

import static dev.pipedesk.timeline.SummaryText.ARROW;
import static dev.pipedesk.timeline.SummaryText.afterOrBefore;
import static dev.pipedesk.timeline.SummaryText.field;
import static dev.pipedesk.timeline.SummaryText.MAX_ADDRESS;
import static dev.pipedesk.timeline.SummaryText.cut;
import static dev.pipedesk.timeline.SummaryText.fields;
import static dev.pipedesk.timeline.SummaryText.list;
import static dev.pipedesk.timeline.SummaryText.names;
import static dev.pipedesk.timeline.SummaryText.property;
import static dev.pipedesk.timeline.SummaryText.string;
import static dev.pipedesk.timeline.SummaryText.time;
import static dev.pipedesk.timeline.SummaryText.value;

import dev.pipedesk.core.calendar.EventStatus;
import dev.pipedesk.core.calendar.MeetingAudit;
import dev.pipedesk.postgres.AuditLogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Summaries of the audit entries about meetings (entity type {@value MeetingAudit#ENTITY_TYPE}):
 * {@code before}/{@code after} hold the meeting as {@code EventView} shows it and {@code changes}
 * the {@code EventView} fields that differ ({@link MeetingAudit}). The catalogue is in the
 * module's README.
 */
final class MeetingAuditSummaries {
    static final String IN_GOOGLE = " in Google Calendar";
    static final String CONFLICT = IN_GOOGLE + " (conflict)";
    /** Attendees named per part of an attendee change ("added a, b, c and 2 more"). */
    static final int MAX_ATTENDEES = 3;
    private static final String CANCELLED = EventStatus.CANCELLED.wire();

    private MeetingAuditSummaries() {
    }

    /** The summary of a {@code calendar_event} audit entry; empty for an action it does not know. */
    static Optional<String> of(AuditLogEntry entry) {
        String summary = switch (entry.action()) {
            case "create" -> scheduled(entry, "");
            case "sync_create" -> scheduled(entry, IN_GOOGLE);
            case "update" -> changed(entry, "");
            case "sync_update" -> changed(entry, IN_GOOGLE);
            case "sync_conflict" -> changed(entry, CONFLICT);
            case "cancel" -> meeting(entry) + " cancelled";
            case "sync_cancel" -> meeting(entry) + " cancelled" + IN_GOOGLE;
            default -> null;
        };
        return Optional.ofNullable(summary);
    }

    /** {@code Meeting "Kickoff"}, or {@code Meeting} for a meeting without a title. */
    static String meeting(AuditLogEntry entry) {
        String title = cut(string(field(afterOrBefore(entry), "summary")), SummaryText.MAX_NAME);
        return title.isEmpty() ? "Meeting" : "Meeting \"" + title + "\"";
    }

    private static String scheduled(AuditLogEntry entry, String origin) {
        JsonNode start = field(entry.after(), "start_time");
        return meeting(entry) + (start == null || start.isNull() ? " scheduled" : " scheduled for " + time(start)) + origin;
    }

    /**
     * One change of a meeting: the most telling one leads (restored or cancelled, moved, end moved,
     * renamed, attendees), the other changed fields follow as "(also updated: …)"; without any of
     * those, "updated: fields".
     */
    private static String changed(AuditLogEntry entry, String origin) {
        // An update's summary reads several of its changes: the tree, built once.
        JsonNode changes = entry.changes() == null ? null : entry.changes().tree();
        Set<String> changed = new TreeSet<>(names(changes));
        String subject = meeting(entry);
        String head;
        String detail = "";
        Set<String> explained;
        String oldStatus = string(change(changes, "status", "old"));
        String newStatus = string(change(changes, "status", "new"));
        if (changed.contains("status") && CANCELLED.equals(oldStatus) && !CANCELLED.equals(newStatus)) {
            head = subject + " restored";
            explained = Set.of("status");
        } else if (changed.contains("status") && CANCELLED.equals(newStatus)) {
            head = subject + " cancelled";
            explained = Set.of("status");
        } else if (changed.contains("start_time")) {
            head = subject + " moved to " + time(change(changes, "start_time", "new"));
            explained = Set.of("start_time", "end_time");
        } else if (changed.contains("end_time")) {
            head = subject + " now ends at " + time(change(changes, "end_time", "new"));
            explained = Set.of("end_time");
        } else if (changed.contains("summary")) {
            head = "Meeting renamed";
            detail = title(change(changes, "summary", "old")) + ARROW + title(change(changes, "summary", "new"));
            explained = Set.of("summary");
        } else if (changed.contains("attendees")) {
            detail = attendees(change(changes, "attendees", "old"), change(changes, "attendees", "new"));
            head = subject + (detail.isEmpty() ? " attendee details changed" : " attendees changed");
            explained = Set.of("attendees");
        } else {
            return subject + " updated" + origin + (changed.isEmpty() ? "" : ": " + fields(changed));
        }
        changed.removeAll(explained);
        return head + origin + (detail.isEmpty() ? "" : ": " + detail)
                + (changed.isEmpty() ? "" : " (also updated: " + fields(changed) + ")");
    }

    private static JsonNode change(JsonNode changes, String field, String side) {
        return property(property(changes, field), side);
    }

    private static String title(JsonNode value) {
        String title = cut(string(value), SummaryText.MAX_NAME);
        return title.isEmpty() ? "(no title)" : "\"" + title + "\"";
    }

    /**
     * "added a@x, b@x; removed c@x; d@x accepted": who was added, who removed (by address, case
     * ignored), whose response changed, each sorted by address; "" when only other attendee
     * details (display name, optional) changed.
     */
    static String attendees(JsonNode before, JsonNode after) {
        Map<String, JsonNode> old = byAddress(before);
        Map<String, JsonNode> now = byAddress(after);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        now.forEach((key, attendee) -> {
            if (!old.containsKey(key)) {
                added.add(address(attendee));
            } else if (!Objects.equals(old.get(key).get("response_status"), attendee.get("response_status"))) {
                responses.add(address(attendee) + " " + response(attendee.get("response_status")));
            }
        });
        old.forEach((key, attendee) -> {
            if (!now.containsKey(key)) {
                removed.add(address(attendee));
            }
        });
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added " + list(added, MAX_ATTENDEES));
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + list(removed, MAX_ATTENDEES));
        }
        if (!responses.isEmpty()) {
            parts.add(list(responses, MAX_ATTENDEES));
        }
        return String.join("; ", parts);
    }

    private static Map<String, JsonNode> byAddress(JsonNode attendees) {
        Map<String, JsonNode> byAddress = new TreeMap<>();
        if (attendees != null && attendees.isArray()) {
            for (JsonNode attendee : attendees.values()) {
                String email = string(property(attendee, "email"));
                if (email != null) {
                    byAddress.putIfAbsent(cut(email, MAX_ADDRESS).toLowerCase(Locale.ROOT), attendee);
                }
            }
        }
        return byAddress;
    }

    private static String address(JsonNode attendee) {
        return cut(string(attendee.get("email")), MAX_ADDRESS);
    }

    /** Google's response status in words. */
    private static String response(JsonNode status) {
        String wire = string(status);
        return switch (wire == null ? "" : wire) {
            case "accepted" -> "accepted";
            case "declined" -> "declined";
            case "tentative" -> "tentatively accepted";
            case "needsAction" -> "awaits a reply";
            default -> "responded " + value(status);
        };
    }
}
