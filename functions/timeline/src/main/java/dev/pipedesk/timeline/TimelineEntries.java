package dev.pipedesk.timeline;

import dev.pipedesk.core.Json;
import dev.pipedesk.core.calendar.CalendarEvent;
import dev.pipedesk.core.calendar.EventView;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.core.email.EmailDirection;
import dev.pipedesk.postgres.AuditLogEntry;
import java.time.ZoneOffset;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns each source's row into a {@link TimelineEntryView}: its stable id, timestamp, summary,
 * details and user. Pure: the same row always gives the same entry, whatever the machine's
 * locale or time zone (the summaries' wording: {@link SummaryText}; the catalogue: the module's
 * README).
 */
public final class TimelineEntries {

    private TimelineEntries() {
    }

    /**
     * An audit entry. {@code details}: {@code entity_type}, {@code entity_id}, {@code action},
     * {@code source} and {@code changes} as stored ({@code {field: {old, new}}}, or null); never
     * the stored ip or user agent, nor before/after. {@code user}: the actor's id (a user id, or a
     * system actor such as {@code system:google-sync} or {@code system:db:<role>}), no e-mail
     * address (the audit log stores none). Not for a {@code client}: audit entries are internal.
     */
    public static TimelineEntryView ofAudit(AuditLogEntry entry) {
        ObjectNode details = Json.MAPPER.createObjectNode();
        details.put("entity_type", entry.entityType());
        details.put("entity_id", entry.entityId());
        details.put("action", entry.action());
        details.put("source", entry.source());
        // The stored JSON as it is: written through, never parsed for this.
        if (entry.changes() == null) {
            details.putNull("changes");
        } else {
            details.putRawValue("changes", entry.changes().raw());
        }
        return new TimelineEntryView("audit:" + entry.id(), "audit", entry.occurredAt().atOffset(ZoneOffset.UTC),
                AuditSummaries.of(entry), details, user(entry.actorId()));
    }

    /**
     * A meeting; {@code redacted} as on the calendar routes for a {@code client}. {@code details}:
     * the meeting exactly as the calendar routes show it ({@link EventView#of}, so redaction is
     * theirs; the view itself, written as JSON with the page). {@code user}: {@code created_by} (a user id, or {@code system:google-sync} for a
     * meeting made in Google), no e-mail address: the organizer's e-mail is Google's organizer (the
     * calendar's account), not necessarily the user who created it, so it stays in the details.
     */
    public static TimelineEntryView ofMeeting(CalendarEvent meeting, boolean redacted) {
        EventView details = EventView.of(meeting, redacted);
        String summary = (meeting.isCancelled() ? "Cancelled meeting: " : "Meeting: ")
                + SummaryText.name(meeting.summary(), "(no title)");
        return new TimelineEntryView("meeting:" + meeting.id(), "meeting", meeting.startTime().atOffset(ZoneOffset.UTC),
                summary, details, user(meeting.createdBy()));
    }

    /**
     * A logged e-mail. {@code details}: {@code message_id}, {@code thread_id}, {@code direction},
     * {@code from}, {@code to}, {@code cc}, {@code subject}, {@code snippet}. {@code user}: who
     * logged it ({@code logged_by}), no e-mail address.
     */
    public static TimelineEntryView ofEmail(CrmEmail email) {
        ObjectNode details = Json.MAPPER.createObjectNode();
        details.put("message_id", email.messageId());
        details.put("thread_id", email.threadId());
        details.put("direction", email.direction() == null ? null : email.direction().wire());
        details.put("from", email.from());
        details.set("to", addresses(email.to()));
        details.set("cc", addresses(email.cc()));
        details.put("subject", email.subject());
        details.put("snippet", email.snippet());
        return new TimelineEntryView("email:" + email.id(), "email", email.sentAt().atOffset(ZoneOffset.UTC),
                emailSummary(email), details, user(email.loggedBy()));
    }

    /**
     * "E-mail from a@b.com: subject" (inbound), "E-mail to x@y.com (+2): subject" (outbound: the
     * first recipient, or the first copied address when there is no recipient, and how many more).
     */
    static String emailSummary(CrmEmail email) {
        String subject = SummaryText.name(email.subject(), "(no subject)");
        if (email.direction() == EmailDirection.INBOUND) {
            String from = SummaryText.cut(email.from(), SummaryText.MAX_ADDRESS);
            return (from.isEmpty() ? "E-mail received" : "E-mail from " + from) + ": " + subject;
        }
        List<String> recipients = email.to().isEmpty() ? email.cc() : email.to();
        if (recipients.isEmpty()) {
            return "E-mail sent: " + subject;
        }
        String more = recipients.size() > 1 ? " (+" + (recipients.size() - 1) + ")" : "";
        return "E-mail to " + SummaryText.cut(recipients.getFirst(), SummaryText.MAX_ADDRESS) + more + ": " + subject;
    }

    private static ArrayNode addresses(List<String> addresses) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        addresses.forEach(array::add);
        return array;
    }

    private static TimelineEntryView.User user(String id) {
        return id == null ? null : new TimelineEntryView.User(id, null);
    }
}
