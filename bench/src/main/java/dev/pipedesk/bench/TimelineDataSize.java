package dev.pipedesk.bench;

import java.util.Locale;

/**
 * How much the timeline benchmark's data generator writes: the ordinary rows spread over
 * {@code entities} leads, deals and contacts, plus one big deal with rows of its own (on top).
 *
 * @param entities    leads, deals and contacts (4 : 3 : 3) the ordinary rows belong to
 * @param auditRows   ordinary audit_logs rows: the entities' own (database capture), their meetings' and e-mails'
 * @param meetings    ordinary calendar_events rows (90% linked to an entity, 5% cancelled)
 * @param emails      ordinary crm_emails rows (2% unlinked)
 * @param bigAudit    the big deal's own audit rows
 * @param bigMeetings the big deal's meetings (each with its audit rows, on top of {@code bigAudit})
 * @param bigEmails   the big deal's e-mails (each with its audit row, on top of {@code bigAudit})
 */
public record TimelineDataSize(int entities, int auditRows, int meetings, int emails, int bigAudit, int bigMeetings,
                               int bigEmails) {

    /** Issue 10's database: 2 M audit rows, 200 k meetings, 500 k e-mails over 100 k entities; the big deal 20 k / 2 k / 5 k. */
    public static final TimelineDataSize FULL = new TimelineDataSize(100_000, 2_000_000, 200_000, 500_000, 20_000, 2_000, 5_000);

    public TimelineDataSize {
        if (entities < 10 || auditRows < 1 || meetings < 1 || emails < 1 || bigAudit < 1 || bigMeetings < 1 || bigEmails < 1) {
            throw new IllegalArgumentException("every count must be positive (at least 10 entities)");
        }
    }

    /** The full size divided by {@code divisor} (at least 10 entities): the smoke test's tiny database. */
    public static TimelineDataSize fraction(int divisor) {
        return new TimelineDataSize(Math.max(10, FULL.entities / divisor), Math.max(1, FULL.auditRows / divisor),
                Math.max(1, FULL.meetings / divisor), Math.max(1, FULL.emails / divisor), Math.max(1, FULL.bigAudit / divisor),
                Math.max(1, FULL.bigMeetings / divisor), Math.max(1, FULL.bigEmails / divisor));
    }

    /** A rough upper bound of the disk the generated database takes (heap, TOAST, indexes, WAL), in bytes. */
    public long estimatedDiskBytes() {
        long audit = (long) (auditRows + bigAudit) * 2_000L + (long) (meetings + bigMeetings) * 3 * 2_000L
                + (long) (emails + bigEmails) * 2_000L;
        long meetingRows = (long) (meetings + bigMeetings) * 1_800L;
        long emailRows = (long) (emails + bigEmails) * 900L;
        return 256L * 1024 * 1024 + audit + meetingRows + emailRows;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%,d audit rows, %,d meetings, %,d e-mails over %,d entities, plus a big deal with "
                        + "%,d audit rows, %,d meetings and %,d e-mails", auditRows, meetings, emails, entities, bigAudit,
                bigMeetings, bigEmails);
    }
}
