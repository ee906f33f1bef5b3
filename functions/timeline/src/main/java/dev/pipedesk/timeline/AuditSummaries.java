package dev.pipedesk.timeline;

import static dev.pipedesk.timeline.SummaryText.ARROW;
import static dev.pipedesk.timeline.SummaryText.afterOrBefore;
import static dev.pipedesk.timeline.SummaryText.field;
import static dev.pipedesk.timeline.SummaryText.fields;
import static dev.pipedesk.timeline.SummaryText.name;
import static dev.pipedesk.timeline.SummaryText.names;
import static dev.pipedesk.timeline.SummaryText.property;
import static dev.pipedesk.timeline.SummaryText.string;
import static dev.pipedesk.timeline.SummaryText.value;

import dev.pipedesk.core.JsonText;
import dev.pipedesk.core.calendar.MeetingAudit;
import dev.pipedesk.core.email.EmailAudit;
import dev.pipedesk.postgres.AuditLogEntry;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The summary of an audit entry, by entity type and action: a specific one for every action the
 * project writes (meetings: {@link MeetingAuditSummaries}; leads and deals: the database capture
 * of migration V3; e-mails: {@link EmailAudit}), a generic "&lt;Entity&gt; &lt;action&gt;" for
 * anything else. The catalogue is in the module's README.
 */
final class AuditSummaries {

    /**
     * A CRM table the V3 database capture audits: its entity type, the label, the column naming a
     * row, and the status column (whose change is the {@code status_change} action).
     */
    private enum Captured {
        LEAD("lead", "Lead", "name", "status", "Status"),
        DEAL("deal", "Deal", "title", "stage", "Stage");

        final String entityType;
        final String label;
        final String nameColumn;
        final String statusColumn;
        final String statusLabel;

        Captured(String entityType, String label, String nameColumn, String statusColumn, String statusLabel) {
            this.entityType = entityType;
            this.label = label;
            this.nameColumn = nameColumn;
            this.statusColumn = statusColumn;
            this.statusLabel = statusLabel;
        }

        static Optional<Captured> of(String entityType) {
            for (Captured captured : values()) {
                if (captured.entityType.equals(entityType)) {
                    return Optional.of(captured);
                }
            }
            return Optional.empty();
        }
    }

    private AuditSummaries() {
    }

    static String of(AuditLogEntry entry) {
        Optional<String> specific = switch (entry.entityType()) {
            case MeetingAudit.ENTITY_TYPE -> MeetingAuditSummaries.of(entry);
            case EmailAudit.ENTITY_TYPE -> email(entry);
            default -> Captured.of(entry.entityType()).flatMap(captured -> captured(captured, entry));
        };
        return specific.orElseGet(() -> generic(entry));
    }

    /** Leads and deals as the V3 capture writes them: before/after are the row, changes {column: {old, new}}. */
    private static Optional<String> captured(Captured table, AuditLogEntry entry) {
        return switch (entry.action()) {
            case "create" -> Optional.of(named(table.label + " created", field(entry.after(), table.nameColumn)));
            case "delete" -> Optional.of(named(table.label + " deleted", field(entry.before(), table.nameColumn)));
            case "update" -> Optional.of(updated(names(entry.changes())));
            case "status_change" -> Optional.of(statusChanged(table, entry.changes()));
            default -> Optional.empty();
        };
    }

    /** "Status changed: new → qualified", other fields changed with it as "(also updated: …)". */
    private static String statusChanged(Captured table, JsonText changes) {
        Set<String> changed = new TreeSet<>(names(changes));
        JsonNode status = field(changes, table.statusColumn);
        if (status == null) {
            return updated(changed);  // not what the capture writes; said as plainly as possible
        }
        changed.remove(table.statusColumn);
        return table.statusLabel + " changed: " + value(status.get("old")) + ARROW + value(status.get("new"))
                + (changed.isEmpty() ? "" : " (also updated: " + fields(changed) + ")");
    }

    private static String updated(Collection<String> changed) {
        return changed.isEmpty() ? "Updated" : "Updated: " + fields(changed);
    }

    /** E-mails (EmailAudit): before/after hold the e-mail with its {@code subject}. */
    private static Optional<String> email(AuditLogEntry entry) {
        String subject = name(string(field(afterOrBefore(entry), "subject")), "(no subject)");
        return switch (entry.action()) {
            case EmailAudit.LOGGED -> Optional.of("E-mail logged: " + subject);
            case EmailAudit.UNLINKED -> Optional.of("E-mail unlinked: " + subject);
            default -> Optional.empty();
        };
    }

    private static String named(String what, JsonNode name) {
        String text = name(string(name), "");
        return text.isEmpty() ? what : what + ": " + text;
    }

    /** "&lt;Entity&gt; &lt;action&gt;", then the changed fields when there are some: "Contact updated: email, phone". */
    static String generic(AuditLogEntry entry) {
        List<String> changed = names(entry.changes());
        return label(entry.entityType()) + " " + verb(entry.action()) + (changed.isEmpty() ? "" : ": " + fields(changed));
    }

    private static String label(String entityType) {
        return switch (entityType) {
            case MeetingAudit.ENTITY_TYPE -> "Meeting";
            case EmailAudit.ENTITY_TYPE -> "E-mail";
            default -> {
                String words = SummaryText.cut(entityType.replace('_', ' '), SummaryText.MAX_VALUE);
                yield words.isEmpty() ? "Entry" : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
            }
        };
    }

    private static String verb(String action) {
        return switch (action) {
            case "create" -> "created";
            case "update" -> "updated";
            case "delete" -> "deleted";
            case "status_change" -> "status changed";
            case "cancel" -> "cancelled";
            case "unlink" -> "unlinked";
            default -> SummaryText.cut(action.replace('_', ' '), SummaryText.MAX_VALUE);
        };
    }
}
