package dev.pipedesk.google;

import dev.pipedesk.core.Env;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The Google calendars PipeDesk may create meetings on, and the one it uses when a request names
 * none. A request for any other calendar is refused, so a user cannot place events on a
 * calendar the service account happens to reach (a colleague's, an executive's).
 * <ul>
 * <li>{@code GOOGLE_DEFAULT_CALENDAR} ({@code primary}: the impersonated user's own calendar).</li>
 * <li>{@code GOOGLE_CALENDARS}: comma-separated calendar ids PipeDesk may write; default: only the
 * default calendar, which must be among them.</li>
 * </ul>
 * Ids are compared exactly, as Google's calendar ids are written.
 *
 * @param defaultCalendar the calendar of a create request without {@code calendar_id}
 * @param writable        every calendar a create request may name, the default included
 */
public record WritableCalendars(String defaultCalendar, Set<String> writable) {
    public static final String PRIMARY = "primary";

    /** The environment variables {@link #fromEnv} reads. */
    public enum Variable {
        GOOGLE_DEFAULT_CALENDAR, GOOGLE_CALENDARS
    }

    public static final List<String> VARIABLES = Env.names(Variable.values());

    public WritableCalendars {
        Objects.requireNonNull(defaultCalendar, "defaultCalendar");
        writable = Set.copyOf(writable);
        if (defaultCalendar.isBlank()) {
            throw new IllegalArgumentException("the default calendar must not be blank");
        }
        if (!writable.contains(defaultCalendar)) {
            throw new IllegalArgumentException("the default calendar " + defaultCalendar
                    + " must be one of the writable calendars " + writable);
        }
    }

    /** Only the impersonated user's own calendar: the default without configuration. */
    public static WritableCalendars primaryOnly() {
        return new WritableCalendars(PRIMARY, Set.of(PRIMARY));
    }

    public static WritableCalendars fromEnv(Env env) {
        String defaultCalendar = env.get(Variable.GOOGLE_DEFAULT_CALENDAR.name(), PRIMARY);
        Set<String> writable = new LinkedHashSet<>();
        env.optional(Variable.GOOGLE_CALENDARS.name()).ifPresent(list -> Arrays.stream(list.split(","))
                .map(String::strip).filter(id -> !id.isEmpty()).forEach(writable::add));
        if (writable.isEmpty()) {
            writable.add(defaultCalendar);
        }
        if (!writable.contains(defaultCalendar)) {
            throw new IllegalStateException(Variable.GOOGLE_DEFAULT_CALENDAR + " (" + defaultCalendar + ") must be one of "
                    + Variable.GOOGLE_CALENDARS + " (" + String.join(",", writable) + ")");
        }
        return new WritableCalendars(defaultCalendar, writable);
    }

    /** Whether a create request may place a meeting on {@code calendarId}. */
    public boolean mayWrite(String calendarId) {
        return writable.contains(calendarId);
    }
}
