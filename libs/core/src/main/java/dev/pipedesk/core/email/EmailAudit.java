package dev.pipedesk.core.email;

/**
 * The audit vocabulary of logged e-mails (entity type {@value #ENTITY_TYPE}): the calendar
 * function (the CRM activity writer) produces {@value #LOGGED} when an e-mail is logged and
 * {@value #UNLINKED} when a mis-logged one is unlinked; the timeline reads them.
 */
public final class EmailAudit {
    public static final String ENTITY_TYPE = "email";
    /** An e-mail logged against an entity. */
    public static final String LOGGED = "create";
    /** A mis-logged e-mail unlinked from its entity (soft). */
    public static final String UNLINKED = "unlink";

    private EmailAudit() {
    }
}
