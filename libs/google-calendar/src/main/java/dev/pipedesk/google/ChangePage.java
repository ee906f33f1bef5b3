package dev.pipedesk.google;

import java.util.List;

/**
 * One page of {@code events.list}: either {@code nextPageToken} (more pages follow) or
 * {@code nextSyncToken} (the last page), never both. A page may be empty and still have a next
 * page.
 */
public record ChangePage(List<GoogleEventSnapshot> items, String nextPageToken, String nextSyncToken) {
    public ChangePage {
        items = List.copyOf(items);
    }

    public boolean isLast() {
        return nextPageToken == null;
    }
}
