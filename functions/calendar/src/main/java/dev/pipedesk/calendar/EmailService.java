package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.Ids;
import dev.pipedesk.core.audit.RequestOrigin;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.postgres.EmailPage;
import dev.pipedesk.postgres.EmailQuery;
import dev.pipedesk.postgres.EmailRepository;
import dev.pipedesk.postgres.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * E-mails logged against CRM entities ({@code crm_emails}): each write and its audit event in one
 * transaction ({@link AuditOutbox#append}), published to the audit queue after commit, in the
 * background (what the publish cannot send, the relay does). A write that changes nothing (a
 * replayed log, an unlink of an unlinked e-mail) writes no audit event.
 */
public final class EmailService {
    private final DataSource dataSource;
    private final EmailRepository emails;
    private final AuditOutbox audit;
    private final Clock clock;

    /**
     * The e-mail as stored now, and whether this request linked it ({@code false}: the same
     * message was already logged against the same entity; the answer is then 200, not 201).
     */
    public record Logged(CrmEmail email, boolean created) {
    }

    public EmailService(DataSource dataSource, AuditOutbox audit, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.emails = new EmailRepository(dataSource);
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Logs the e-mail against its entity. A message not logged before is inserted (created); one
     * logged against the same entity answers the stored row (not created, nothing written); one
     * unlinked earlier is linked again to this entity by this user (created, audited
     * {@code create} with the unlinked row as {@code before}); one linked to another entity is 409
     * {@code conflict} naming that entity.
     */
    public Logged log(NewEmail input, Principal caller, RequestOrigin origin) {
        Instant now = clock.instant();
        CrmEmail row = new CrmEmail(Ids.uuid(), input.messageId(), input.threadId(), input.direction(), input.from(),
                input.to(), input.cc(), input.subject(), input.snippet(), input.sentAt(), input.entityType(),
                input.entityId(), caller.userId(), now, null, null);
        AuditedWrite<CrmEmail> written = Transactions.inTransaction(dataSource, connection -> {
            EmailRepository.Logged logged = emails.log(connection, row);
            return switch (logged) {
                case EmailRepository.Logged.Inserted inserted -> AuditedWrite.appended(connection, inserted.row(),
                        EmailAuditEvents.logged(null, inserted.row(), caller.userId(), origin, now));
                case EmailRepository.Logged.Relinked relinked -> AuditedWrite.appended(connection, relinked.row(),
                        EmailAuditEvents.logged(relinked.before(), relinked.row(), caller.userId(), origin, now));
                case EmailRepository.Logged.AlreadyLogged already -> AuditedWrite.unchanged(already.row());
                case EmailRepository.Logged.LoggedElsewhere elsewhere -> throw loggedElsewhere(elsewhere.row());
            };
        });
        return new Logged(written.publish(audit), written.audited());
    }

    /** The entity's linked e-mails, newest first. */
    public EmailPage list(EmailQuery query) {
        return emails.list(query);
    }

    /**
     * Unlinks a mis-logged e-mail (soft; audited {@code unlink}): 404 when there is no such
     * e-mail, 403 unless {@linkplain #requireMayUnlink the caller may}. An e-mail unlinked already
     * is answered as it is, and nothing is written.
     */
    public CrmEmail unlink(String id, Principal caller, RequestOrigin origin) {
        AuditedWrite<CrmEmail> written = Transactions.inTransaction(dataSource, connection -> {
            CrmEmail current = emails.findByIdForUpdate(connection, id)
                    .orElseThrow(() -> ApiException.notFound("e-mail", id));
            requireMayUnlink(current, caller);
            if (current.isUnlinked()) {
                return AuditedWrite.unchanged(current);
            }
            Instant now = clock.instant();
            CrmEmail unlinked = emails.unlink(connection, id, caller.userId(), now).orElseThrow();
            return AuditedWrite.appended(connection, unlinked,
                    EmailAuditEvents.unlinked(current, unlinked, caller.userId(), origin, now));
        });
        return written.publish(audit);
    }

    /** Sales may unlink the e-mails they logged; managers and admins may unlink any. */
    static void requireMayUnlink(CrmEmail email, Principal caller) {
        if (caller.role().atLeast(Role.MANAGER)) {
            return;
        }
        if (caller.role().atLeast(Role.SALES) && caller.userId().equals(email.loggedBy())) {
            return;
        }
        throw ApiException.forbidden("You may only unlink e-mails you logged.");
    }

    /** 409 naming the e-mail and the entity it is logged against. */
    private static ApiException loggedElsewhere(CrmEmail stored) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("email_id", stored.id());
        details.put("entity_type", stored.entityType().wire());
        details.put("entity_id", stored.entityId());
        return ApiException.conflict("This message is already logged against another entity ("
                + stored.entityType().wire() + " " + ApiException.excerpt(stored.entityId())
                + "); unlink it there first to log it here.", details);
    }
}
