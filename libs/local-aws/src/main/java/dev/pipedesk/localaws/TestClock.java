package dev.pipedesk.localaws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand: the one clock of every module's tests (here, below
 * pipedesk-test-support, so that libs/secrets' tests can use it too).
 */
public final class TestClock extends Clock {
    private volatile Instant now;

    public TestClock(Instant start) {
        this.now = start;
    }

    /** A minute ahead of the database's clock, so outbox rows appended just now are already due. */
    public static TestClock aheadOfTheDatabase() {
        return new TestClock(Instant.now().plusSeconds(60));
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
