package dev.pipedesk.migrate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run did: the Flyway migrations it applied and the logins it created or re-passworded.
 * Never holds a password.
 */
public record MigrationSummary(int migrationsApplied, String schemaVersion, List<Login> logins) {

    public MigrationSummary {
        logins = List.copyOf(logins);
    }

    /** What happened to one login. */
    public enum Action { CREATED, UPDATED }

    /** A login user and the group role it is a member of. */
    public record Login(String groupRole, String username, Action action) {
    }

    /** The JSON the function answers with. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("migrationsApplied", migrationsApplied);
        json.put("schemaVersion", schemaVersion);
        json.put("logins", logins.stream().map(login -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("groupRole", login.groupRole());
            entry.put("username", login.username());
            entry.put("action", login.action().name().toLowerCase(java.util.Locale.ROOT));
            return entry;
        }).toList());
        return json;
    }
}
