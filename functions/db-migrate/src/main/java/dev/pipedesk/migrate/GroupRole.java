package dev.pipedesk.migrate;

import java.util.Arrays;
import java.util.Optional;

/**
 * The NOLOGIN group roles the migrations create, each with exactly its grants; the deployment
 * gives each a login user ({@link DatabaseMigration}). No other role can be named.
 */
public enum GroupRole {
    /** calendar, webhook, calendar-sync and channel-renewal (V9). */
    PIPEDESK_APP("pipedesk_app"),
    /** audit-writer: INSERT on {@code audit_logs} only (V2, V4). */
    PIPEDESK_AUDIT_WRITER("pipedesk_audit_writer"),
    /** timeline: SELECT on the three timeline sources (V6). */
    PIPEDESK_TIMELINE_READER("pipedesk_timeline_reader");

    private final String roleName;

    GroupRole(String roleName) {
        this.roleName = roleName;
    }

    /** The role's name in the database. */
    public String roleName() {
        return roleName;
    }

    public static Optional<GroupRole> of(String roleName) {
        return Arrays.stream(values()).filter(role -> role.roleName.equals(roleName)).findFirst();
    }
}
