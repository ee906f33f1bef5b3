package dev.pipedesk.google;

import dev.pipedesk.core.FieldChange;
import dev.pipedesk.core.calendar.Attendee;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The changes a PATCH makes to a Google event (patch semantics: a kept field is not sent, a
 * cleared one is sent as JSON null, attendees replace the stored list, private properties are
 * merged into the stored ones). A Google event always has a start and an end: they are set or
 * kept, never cleared.
 */
public record EventPatch(
        FieldChange<String> summary,
        FieldChange<String> description,
        FieldChange<Instant> start,
        FieldChange<Instant> end,
        FieldChange<List<String>> attendeeEmails,
        FieldChange<Map<String, String>> privateProperties) {

    public EventPatch {
        // Every field says what happens to it: none is null.
        Stream.of(summary, description, start, end, attendeeEmails, privateProperties).forEach(Objects::requireNonNull);
        if (start instanceof FieldChange.Clear || end instanceof FieldChange.Clear) {
            throw new IllegalArgumentException("A Google event's start and end can be changed, not cleared");
        }
    }

    /** Whether the patch changes nothing (there is nothing to send). */
    public boolean isEmpty() {
        return Stream.of(summary, description, start, end, attendeeEmails, privateProperties)
                .allMatch(FieldChange.Keep.class::isInstance);
    }

    /** Whether {@code event} already holds everything this patch asks for. */
    public boolean isAppliedIn(GoogleEventSnapshot event) {
        return summary.leaves(event.summary())
                && description.leaves(event.description())
                && start.leaves(event.start())
                && end.leaves(event.end())
                && attendeeEmails.leaves(event.attendees().stream().map(Attendee::email).toList())
                && switch (privateProperties) {
                    case FieldChange.Keep<Map<String, String>> keep -> true;
                    case FieldChange.Clear<Map<String, String>> clear -> event.privateProperties().isEmpty();
                    case FieldChange.Set<Map<String, String>>(Map<String, String> merged) ->
                            event.privateProperties().entrySet().containsAll(merged.entrySet());
                };
    }
}
