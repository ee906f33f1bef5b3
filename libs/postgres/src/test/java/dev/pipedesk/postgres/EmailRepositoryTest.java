package dev.pipedesk.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.core.email.EmailDirection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * crm_emails against a real PostgreSQL: one row per message, the outcome of logging a known
 * message, the soft unlink, and the keyset walk of an entity's e-mails. Every test uses entity
 * ids and message ids of its own.
 */
@Tag("integration")
class EmailRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @RegisterExtension
    static final MigratedDatabase database = new MigratedDatabase();
    private static EmailRepository repository;

    @BeforeAll
    static void repository() {
        repository = new EmailRepository(database.dataSource());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static CrmEmail email(String messageId, EntityType type, String entityId, Instant sentAt, String by) {
        return new CrmEmail(UUID.randomUUID().toString(), messageId, "thread-1", EmailDirection.INBOUND,
                "ana@example.com", List.of("bo@example.com", "cy@example.com"), List.of("dee@example.com"),
                "Proposal", "Please find attached", sentAt, type, entityId, by, T0.plusSeconds(3600), null, null);
    }

    private static EmailRepository.Logged log(CrmEmail email) {
        return Transactions.inTransaction(database.dataSource(), c -> repository.log(c, email));
    }

    @Test
    void insertsANewMessageAndReadsItBackFieldForField() {
        CrmEmail email = email(unique("<m"), EntityType.DEAL, unique("d"), T0, "sales-1");

        EmailRepository.Logged logged = log(email);

        assertThat(logged).isInstanceOf(EmailRepository.Logged.Inserted.class);
        assertThat(logged.row()).isEqualTo(email);
        assertThat(repository.findById(email.id())).contains(email);
    }

    @Test
    void loggingAKnownMessageAgainstTheSameEntityAnswersTheStoredRowAndWritesNothing() {
        String messageId = unique("<m");
        String deal = unique("d");
        CrmEmail first = email(messageId, EntityType.DEAL, deal, T0, "sales-1");
        log(first);

        CrmEmail again = new CrmEmail(UUID.randomUUID().toString(), messageId, null, EmailDirection.OUTBOUND,
                "other@example.com", List.of("x@example.com"), List.of(), "Other subject", null, T0.plusSeconds(5),
                EntityType.DEAL, deal, "sales-2", T0.plusSeconds(7200), null, null);
        EmailRepository.Logged logged = log(again);

        assertThat(logged).isEqualTo(new EmailRepository.Logged.AlreadyLogged(first));
        assertThat(repository.findById(again.id())).isEmpty();
        assertThat(count("message_id = '" + messageId + "'")).isEqualTo(1);
    }

    @Test
    void loggingAKnownMessageAgainstAnotherEntityAnswersWhereItIsLogged() {
        String messageId = unique("<m");
        CrmEmail first = email(messageId, EntityType.DEAL, unique("d"), T0, "sales-1");
        log(first);

        EmailRepository.Logged logged = log(email(messageId, EntityType.LEAD, unique("l"), T0, "sales-1"));

        assertThat(logged).isEqualTo(new EmailRepository.Logged.LoggedElsewhere(first));
        assertThat(repository.findById(first.id())).contains(first);
    }

    @Test
    void unlinksSoftlyOnceAndLeavesTheRowReadable() {
        CrmEmail email = email(unique("<m"), EntityType.CONTACT, unique("c"), T0, "sales-1");
        log(email);
        Instant at = T0.plusSeconds(90);

        var unlinked = Transactions.inTransaction(database.dataSource(),
                c -> repository.unlink(c, email.id(), "manager-1", at));
        var again = Transactions.inTransaction(database.dataSource(),
                c -> repository.unlink(c, email.id(), "manager-2", at.plusSeconds(1)));

        assertThat(unlinked).hasValueSatisfying(row -> {
            assertThat(row.unlinkedAt()).isEqualTo(at);
            assertThat(row.unlinkedBy()).isEqualTo("manager-1");
        });
        assertThat(again).isEmpty();
        assertThat(repository.findById(email.id())).contains(unlinked.orElseThrow());
        assertThat(repository.list(new EmailQuery(EntityType.CONTACT, email.entityId(), null, 10)).items()).isEmpty();
    }

    @Test
    void anUnlinkedMessageLoggedAgainIsLinkedToTheNewEntityByTheNewUserWithItsStoredContent() {
        String messageId = unique("<m");
        CrmEmail first = email(messageId, EntityType.DEAL, unique("d"), T0, "sales-1");
        log(first);
        Transactions.inTransaction(database.dataSource(), c -> repository.unlink(c, first.id(), "sales-1", T0));
        String lead = unique("l");
        CrmEmail relog = new CrmEmail(UUID.randomUUID().toString(), messageId, null, EmailDirection.OUTBOUND,
                "other@example.com", List.of(), List.of(), "Changed", null, T0, EntityType.LEAD, lead, "sales-2",
                T0.plusSeconds(600), null, null);

        EmailRepository.Logged logged = log(relog);

        assertThat(logged).isInstanceOfSatisfying(EmailRepository.Logged.Relinked.class, relinked -> {
            assertThat(relinked.before().isUnlinked()).isTrue();
            assertThat(relinked.row()).isEqualTo(new CrmEmail(first.id(), messageId, first.threadId(),
                    first.direction(), first.from(), first.to(), first.cc(), first.subject(), first.snippet(),
                    first.sentAt(), EntityType.LEAD, lead, "sales-2", T0.plusSeconds(600), null, null));
        });
    }

    @Test
    void unknownAndMalformedIdsFindNothing() {
        assertThat(repository.findById(UUID.randomUUID().toString())).isEmpty();
        assertThat(repository.findById("not-a-uuid")).isEmpty();
        Optional<CrmEmail> unlinked = Transactions.inTransaction(database.dataSource(),
                c -> repository.unlink(c, "x", "u", T0));
        assertThat(unlinked).isEmpty();
    }

    @Test
    void concurrentLogsOfOneMessageStoreOneRowAndEveryOtherFindsIt() throws Exception {
        String messageId = unique("<m");
        String deal = unique("d");
        List<Callable<EmailRepository.Logged>> logs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            logs.add(() -> log(email(messageId, EntityType.DEAL, deal, T0, "sales-1")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<EmailRepository.Logged> outcomes = new ArrayList<>();
        try {
            for (Future<EmailRepository.Logged> outcome : pool.invokeAll(logs)) {
                outcomes.add(outcome.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(outcomes).filteredOn(o -> o instanceof EmailRepository.Logged.Inserted).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof EmailRepository.Logged.AlreadyLogged).hasSize(5);
        assertThat(outcomes).extracting(o -> o.row().id()).containsOnly(outcomes.getFirst().row().id());
        assertThat(count("message_id = '" + messageId + "'")).isEqualTo(1);
    }

    @Test
    void walksAnEntitysEmailsNewestFirstWithTiesByIdAndNoGapOrRepeatWhileOthersAreLogged() {
        String deal = unique("d");
        List<CrmEmail> logged = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // Every fifth pair shares a sent_at: the id breaks the tie.
            CrmEmail email = email(unique("<m"), EntityType.DEAL, deal, T0.plusSeconds(60L * (i / 2)), "sales-1");
            log(email);
            logged.add(email);
        }
        log(email(unique("<m"), EntityType.DEAL, unique("other"), T0, "sales-1"));
        List<String> expected = logged.stream()
                .sorted(Comparator.comparing(CrmEmail::sentAt).thenComparing(CrmEmail::id).reversed())
                .map(CrmEmail::id).toList();

        List<String> walked = new ArrayList<>();
        EmailPosition after = null;
        int pages = 0;
        do {
            EmailPage page = repository.list(new EmailQuery(EntityType.DEAL, deal, after, 7));
            assertThat(page.total()).isEqualTo(25 + pages);
            page.items().forEach(e -> walked.add(e.id()));
            after = page.nextPosition();
            // Logged after the walk started, newer than anything: never on a later page.
            log(email(unique("<m"), EntityType.DEAL, deal, T0.plusSeconds(100_000 + pages), "sales-1"));
            pages++;
        } while (after != null);

        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(4);
    }

    private static long count(String condition) {
        return Transactions.withAutoCommit(database.dataSource(),
                c -> Jdbc.count(c, "select count(*) from crm_emails where " + condition, List.of()));
    }
}
