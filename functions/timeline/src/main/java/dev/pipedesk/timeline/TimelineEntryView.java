package dev.pipedesk.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import tools.jackson.databind.JsonNode;

/**
 * One entry of the unified timeline as the API shows it.
 *
 * @param id        stable and unique across sources: {@code meeting:<uuid>}, {@code audit:<id>},
 *                  {@code email:<uuid>}
 * @param type      {@code meeting}, {@code audit} or {@code email}
 * @param timestamp with offset: a meeting's start, an audit entry's occurred_at, an e-mail's sent_at
 * @param summary   one deterministic, human line
 * @param details   per type (see {@link TimelineEntries})
 * @param user      who the entry is about or by, where the data carries it; else null
 */
public record TimelineEntryView(String id, String type, OffsetDateTime timestamp, String summary, JsonNode details,
                                @JsonInclude(JsonInclude.Include.ALWAYS) User user) {

    /** A user as far as the data knows it: the id always, the e-mail address when stored. */
    public record User(String id, @JsonInclude(JsonInclude.Include.ALWAYS) String email) {
    }
}
