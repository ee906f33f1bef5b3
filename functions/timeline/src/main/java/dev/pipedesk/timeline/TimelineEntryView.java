package dev.pipedesk.timeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pipedesk.core.Json;
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
 * @param details   per type (see {@link TimelineEntries}): a JSON object, or a record written as one (a
 *                  meeting's {@code EventView}, written straight into the page, not through a tree)
 * @param user      who the entry is about or by, where the data carries it; else null
 */
public record TimelineEntryView(String id, String type, OffsetDateTime timestamp, String summary, Object details,
                                @JsonInclude(JsonInclude.Include.ALWAYS) User user) {

    /** {@code details} as the JSON it is written as (read back from that text: stored JSON goes into it unparsed). */
    @JsonIgnore
    public JsonNode detailsJson() {
        return Json.MAPPER.readTree(Json.write(details));
    }

    /** A user as far as the data knows it: the id always, the e-mail address when stored. */
    public record User(String id, @JsonInclude(JsonInclude.Include.ALWAYS) String email) {
    }
}
