package dev.pipedesk.timeline;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.postgres.DatabaseException;
import dev.pipedesk.postgres.TimelineEntry;
import dev.pipedesk.postgres.TimelinePage;
import dev.pipedesk.postgres.TimelinePosition;
import dev.pipedesk.postgres.TimelineQuery;
import dev.pipedesk.postgres.TimelineRepository;
import dev.pipedesk.postgres.TimelineSource;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The unified timeline of one lead, deal or contact: reads a page ({@link TimelineRepository}: one
 * merged statement; degraded mode when a source fails), turns each row into its entry
 * ({@link TimelineEntries}) and issues the next page's cursor. Plain Java, no HTTP.
 */
public final class TimelineService {
    private static final Logger LOG = Logger.getLogger(TimelineService.class.getName());

    private final TimelineRepository repository;

    public TimelineService(TimelineRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    /**
     * One page as the route renders it.
     *
     * @param redacted whether meetings are shown as to a {@code client} (as on the calendar routes)
     * @throws ApiException 503 {@code service_unavailable} when no source could be read
     */
    public TimelinePageView page(TimelineRequest request, boolean redacted) {
        TimelineQuery query = request.query();
        TimelinePage page;
        try {
            page = repository.page(query);
        } catch (DatabaseException e) {
            LOG.log(Level.WARNING, "timeline: no source could be read (SQLState " + e.sqlState() + ")", e);
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                    "The timeline cannot be read right now; try again shortly.");
        }
        boolean counted = page.total() != null;
        long total = counted ? page.total() : request.knownTotal();
        boolean exact = counted ? page.totalExact() : request.knownTotalExact();
        TimelinePosition next = page.nextPosition();
        List<TimelineEntryView> items = page.entries().stream().map(entry -> view(entry, redacted)).toList();
        return new TimelinePageView(items,
                new TimelinePageView.Pagination(query.limit(),
                        next == null ? null : TimelineCursor.encode(next, total, exact, query), total, exact),
                page.degraded().stream().sorted().map(TimelineSource::wire).toList());
    }

    private static TimelineEntryView view(TimelineEntry entry, boolean redacted) {
        return switch (entry) {
            case TimelineEntry.Audit audit -> TimelineEntries.ofAudit(audit.entry());
            case TimelineEntry.Email email -> TimelineEntries.ofEmail(email.email());
            case TimelineEntry.Meeting meeting -> TimelineEntries.ofMeeting(meeting.meeting(), redacted);
        };
    }
}
