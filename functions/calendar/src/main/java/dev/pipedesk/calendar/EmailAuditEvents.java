package dev.pipedesk.calendar;

import dev.pipedesk.core.Ids;
import dev.pipedesk.core.Json;
import dev.pipedesk.core.audit.AuditChanges;
import dev.pipedesk.core.audit.AuditEvent;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.core.email.EmailAudit;
import dev.pipedesk.core.email.EmailView;
import java.time.Instant;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The audit events of logged e-mails ({@link EmailAudit}: entity type {@value EmailAudit#ENTITY_TYPE},
 * source {@value CalendarAudit#SOURCE}, the user as actor); an e-mail appears in
 * {@code before}/{@code after} as the API shows it ({@link EmailView}).
 */
final class EmailAuditEvents {
    private EmailAuditEvents() {
    }

    /** {@code create}: an e-mail logged; {@code before} is its unlinked row when a log linked it again. */
    static AuditEvent logged(CrmEmail before, CrmEmail after, String actorId, RequestOrigin origin, Instant at) {
        return event(EmailAudit.LOGGED, before, after, actorId, origin, at);
    }

    /** {@code unlink}: a mis-logged e-mail unlinked from its entity. */
    static AuditEvent unlinked(CrmEmail before, CrmEmail after, String actorId, RequestOrigin origin, Instant at) {
        return event(EmailAudit.UNLINKED, before, after, actorId, origin, at);
    }

    private static AuditEvent event(String action, CrmEmail before, CrmEmail after, String actorId,
                                    RequestOrigin origin, Instant at) {
        JsonNode afterJson = json(after);
        JsonNode beforeJson = before == null ? null : json(before);
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, Ids.uuid(), EmailAudit.ENTITY_TYPE, after.id(), action,
                AuditEvent.Actor.user(actorId), at, beforeJson, afterJson,
                before == null ? null : AuditChanges.diff(beforeJson, afterJson, Set.of()), CalendarAudit.SOURCE,
                origin.requestId(), origin.ip(), origin.userAgent());
    }

    private static JsonNode json(CrmEmail email) {
        return Json.MAPPER.valueToTree(EmailView.of(email));
    }
}
