package dev.pipedesk.calendar;

import dev.pipedesk.core.email.EmailView;
import dev.pipedesk.postgres.EmailPage;
import dev.pipedesk.postgres.EmailPosition;
import dev.pipedesk.postgres.EmailQuery;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The answer of {@code GET /api/emails}: {@code {"items": [...], "pagination": {...}}}. */
public record EmailPageView(List<EmailView> items, Pagination pagination) {

    /**
     * @param limit      the page size used
     * @param nextCursor the cursor of the next page, or null on the last page
     * @param total      every linked e-mail of the entity (not only those after the cursor)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pagination(int limit, String nextCursor, long total) {
    }

    static EmailPageView of(EmailPage page, EmailQuery query) {
        EmailPosition next = page.nextPosition();
        return new EmailPageView(page.items().stream().map(EmailView::of).toList(),
                new Pagination(query.limit(),
                        next == null ? null : EmailCursor.encode(next, query.entityType(), query.entityId()),
                        page.total()));
    }
}
