package dev.pipedesk.calendar;

import dev.pipedesk.audit.AuditOutbox;
import dev.pipedesk.audit.SqsOutboxSender;
import dev.pipedesk.core.Env;
import dev.pipedesk.testing.EmulatedGoogleEnvironment;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the calendar function talks to, for real, for one test class ({@code @RegisterExtension static}):
 * PostgreSQL, ElasticMQ and the Google Calendar emulator ({@link EmulatedGoogleEnvironment}).
 */
final class CalendarBackends extends EmulatedGoogleEnvironment {

    /** The Google settings for the emulator, acting as {@code calendar@example.com}, plus {@code more}. */
    Map<String, String> googleEnvironment(Map<String, String> more) {
        return googleEnvironment("calendar@example.com", more);
    }

    /** The calendar function's store on {@code dataSource}, with its outbox publishing to ElasticMQ. */
    PostgresEventStore eventStore(DataSource dataSource) {
        SqsOutboxSender sender = SqsOutboxSender.fromEnv(new Env(outbox().producerEnvironment()));
        return new PostgresEventStore(dataSource, new AuditOutbox(dataSource, sender, Clock.systemUTC()));
    }
}
