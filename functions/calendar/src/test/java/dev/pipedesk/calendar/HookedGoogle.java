package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.google.EventDraft;
import dev.pipedesk.google.EventPatch;
import dev.pipedesk.google.GoogleCalendar;
import dev.pipedesk.google.GoogleEventSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The real Google Calendar client (against the emulator) with test hooks: something to run
 * right after the next call of an operation has been carried out (a writer that follows it,
 * such as the sync), or a pause there until the test lets the call return (a request caught
 * inside Google). The hooks run on the calling thread, inside whatever the caller holds.
 */
final class HookedGoogle implements GoogleCalendar {
    /** One hook: the call's calendar id, Google event id and answer (null for a delete). */
    record Call(String calendarId, String googleEventId, GoogleEventSnapshot answer) {
    }

    private final GoogleCalendar google;
    private final Map<String, Consumer<Call>> afterNext = new ConcurrentHashMap<>();

    HookedGoogle(GoogleCalendar google) {
        this.google = google;
    }

    /** Runs {@code hook} once, right after the next {@code operation} (insert, patch, delete) was carried out. */
    void afterNext(String operation, Consumer<Call> hook) {
        afterNext.put(operation, hook);
    }

    /** The next {@code operation}, once carried out, waits until {@link Pause#release()} before it returns. */
    Pause pauseAfterNext(String operation) {
        Pause pause = new Pause();
        afterNext(operation, pause::hold);
        return pause;
    }

    /** A call held inside Google. */
    static final class Pause {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile Call call;

        private void hold(Call held) {
            call = held;
            entered.countDown();
            try {
                assertThat(released.await(60, TimeUnit.SECONDS)).as("released by the test").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Waits until the call is held, and answers it. */
        Call awaitHeld(Duration timeout) throws InterruptedException {
            assertThat(entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("the call reached Google").isTrue();
            return call;
        }

        void release() {
            released.countDown();
        }
    }

    @Override
    public GoogleEventSnapshot insert(String calendarId, EventDraft draft) {
        return after("insert", calendarId, draft.eventId(), google.insert(calendarId, draft));
    }

    @Override
    public GoogleEventSnapshot awaitConference(String calendarId, GoogleEventSnapshot event) {
        return google.awaitConference(calendarId, event);
    }

    @Override
    public GoogleEventSnapshot get(String calendarId, String eventId) {
        return google.get(calendarId, eventId);
    }

    @Override
    public GoogleEventSnapshot patch(String calendarId, String eventId, EventPatch patch, String ifMatchEtag) {
        return after("patch", calendarId, eventId, google.patch(calendarId, eventId, patch, ifMatchEtag));
    }

    @Override
    public void delete(String calendarId, String eventId) {
        google.delete(calendarId, eventId);
        after("delete", calendarId, eventId, null);
    }

    private GoogleEventSnapshot after(String operation, String calendarId, String eventId, GoogleEventSnapshot answer) {
        Consumer<Call> hook = afterNext.remove(operation);
        if (hook != null) {
            hook.accept(new Call(calendarId, eventId, answer));
        }
        return answer;
    }
}
