package dev.pipedesk.calendar;

import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.calendar.CalendarEvent;
import java.util.Locale;

/**
 * The meetings a caller may read. Staff (viewer and up) see every meeting; an external
 * {@code client} only meetings its token's {@code email} attends (compared case-insensitively),
 * and none at all when its token has no {@code email}.
 */
sealed interface MeetingScope {

    /** Every meeting. */
    record AllMeetings() implements MeetingScope {
    }

    /** Meetings with an attendee of this address. */
    record AttendedBy(String email) implements MeetingScope {
    }

    /** No meeting. */
    record NoMeetings() implements MeetingScope {
    }

    static MeetingScope of(Principal caller) {
        if (caller.role() != Role.CLIENT) {
            return new AllMeetings();
        }
        return caller.email() == null || caller.email().isBlank() ? new NoMeetings() : new AttendedBy(caller.email());
    }

    default boolean includes(CalendarEvent event) {
        return switch (this) {
            case AllMeetings all -> true;
            case NoMeetings none -> false;
            case AttendedBy attendee -> event.attendees().stream().anyMatch(a -> a.email() != null
                    && a.email().toLowerCase(Locale.ROOT).equals(attendee.email().toLowerCase(Locale.ROOT)));
        };
    }
}
