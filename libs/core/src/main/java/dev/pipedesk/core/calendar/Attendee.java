package dev.pipedesk.core.calendar;

/** An invitee of a meeting, as Google reports it. */
public record Attendee(String email, String responseStatus, String displayName, boolean organizer, boolean optional) {

    public static Attendee invited(String email) {
        return new Attendee(email, "needsAction", null, false, false);
    }
}
