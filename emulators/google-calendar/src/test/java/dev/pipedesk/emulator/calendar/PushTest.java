package dev.pipedesk.emulator.calendar;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.calendar.model.Channel;
import com.google.api.services.calendar.model.ConferenceData;
import com.google.api.services.calendar.model.ConferenceSolutionKey;
import com.google.api.services.calendar.model.CreateConferenceRequest;
import com.google.api.services.calendar.model.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Tag("integration")
class PushTest extends EmulatorTestSupport {

    private PushReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = PushReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private Channel watch(String token) throws IOException {
        return calendar.events().watch("primary", new Channel()
                .setId(UUID.randomUUID().toString())
                .setType("web_hook")
                .setAddress(receiver.address())
                .setToken(token)).execute();
    }

    @Test
    void watchAnswersAChannelAndSendsSyncNumberOneFirst() throws Exception {
        Channel channel = watch("forwardTo=crm&tenant=t1");

        PushReceiver.Notification sync = receiver.awaitCount(1).getFirst();

        assertThat(channel.getKind()).isEqualTo("api#channel");
        assertThat(channel.getResourceId()).isNotBlank();
        assertThat(channel.getResourceUri()).contains("/calendar/v3/calendars/primary/events").endsWith("alt=json");
        assertThat(channel.getExpiration()).isCloseTo(Instant.now().plus(Duration.ofDays(7)).toEpochMilli(),
                within(60_000L));
        assertThat(sync.method()).isEqualTo("POST");
        assertThat(sync.state()).isEqualTo("sync");
        assertThat(sync.number()).isEqualTo(1);
        assertThat(sync.channelId()).isEqualTo(channel.getId());
        assertThat(sync.header("X-Goog-Resource-ID")).isEqualTo(channel.getResourceId());
        assertThat(sync.header("X-Goog-Resource-URI")).isEqualTo(channel.getResourceUri());
        assertThat(sync.header("X-Goog-Channel-Token")).isEqualTo("forwardTo=crm&tenant=t1");
        assertThat(sync.header("User-Agent")).isEqualTo("APIs-Google");
        assertThat(sync.header("Content-Length")).isEqualTo("0");
        assertThat(sync.body()).isEmpty();
        Instant expiration = ZonedDateTime.parse(sync.header("X-Goog-Channel-Expiration"),
                DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(expiration.toEpochMilli() / 1000).isEqualTo(channel.getExpiration() / 1000);
    }

    @Test
    void everyCommittedChangeSendsExistsWithIncreasingNumbers() throws Exception {
        watch(null);
        receiver.awaitCount(1);

        Event created = insert(meeting("Notify me"));
        calendar.events().patch("primary", created.getId(), new Event().setSummary("Again")).execute();
        calendar.events().delete("primary", created.getId()).execute();
        List<PushReceiver.Notification> received = receiver.awaitCount(4);

        assertThat(received).extracting(PushReceiver.Notification::state)
                .containsExactly("sync", "exists", "exists", "exists");
        assertThat(received).extracting(PushReceiver.Notification::number).isSorted().doesNotHaveDuplicates();
        assertThat(received.get(1).number()).isGreaterThan(1);
        assertThat(received.getFirst().header("X-Goog-Channel-Token")).isNull();
        // The receiver sees a message before the emulator has recorded the attempt's outcome.
        assertThat(control().awaitDeliveryAttempts(a -> a.size() >= 4, Duration.ofSeconds(10))).hasSize(4)
                .allMatch(a -> a.outcome() == DeliveryAttempt.Outcome.DELIVERED && a.statusCode() == 200);
    }

    @Test
    void readsDoNotNotify() throws Exception {
        Event created = insert(meeting("Quiet"));
        Channel channel = watch(null);
        receiver.awaitCount(1);

        calendar.events().get("primary", created.getId()).execute();
        calendar.events().list("primary").execute();

        assertThat(control().channels()).filteredOn(c -> c.id().equals(channel.getId()))
                .extracting(ChannelInfo::lastMessageNumber).containsExactly(1L);
    }

    @Test
    void everyChannelOfACalendarSharesTheResourceId() throws Exception {
        Channel first = watch(null);
        Channel second = watch(null);
        Channel other = calendar.events().watch("team@acme.test", new Channel().setId(UUID.randomUUID().toString())
                .setType("webhook").setAddress(receiver.address())).execute();

        assertThat(second.getResourceId()).isEqualTo(first.getResourceId());
        assertThat(other.getResourceId()).isNotEqualTo(first.getResourceId());
    }

    @Test
    void retriesOnServerErrorsWithBackoff() throws Exception {
        receiver.respondNext(503, 500);

        Channel channel = watch(null);
        receiver.awaitCount(3);
        control().awaitDeliveryAttempts(a -> a.size() >= 3, Duration.ofSeconds(10));
        List<DeliveryAttempt> attempts = control().deliveryAttempts(channel.getId());

        assertThat(attempts).extracting(DeliveryAttempt::attempt, DeliveryAttempt::statusCode, DeliveryAttempt::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 503, DeliveryAttempt.Outcome.RETRYING),
                        org.assertj.core.groups.Tuple.tuple(2, 500, DeliveryAttempt.Outcome.RETRYING),
                        org.assertj.core.groups.Tuple.tuple(3, 200, DeliveryAttempt.Outcome.DELIVERED));
        assertThat(receiver.received()).extracting(PushReceiver.Notification::number).containsOnly(1L);
    }

    @Test
    void doesNotRetryOtherFailures() throws Exception {
        receiver.respondNext(404);

        watch(null);
        List<DeliveryAttempt> attempts = control().awaitDeliveryAttempts(a -> !a.isEmpty(), Duration.ofSeconds(10));
        Event created = insert(meeting("After a rejection"));
        receiver.awaitCount(2);

        assertThat(attempts.getFirst().outcome()).isEqualTo(DeliveryAttempt.Outcome.REJECTED);
        assertThat(control().awaitDeliveryAttempts(a -> a.size() >= 2, Duration.ofSeconds(10)))
                .extracting(DeliveryAttempt::resourceState)
                .containsExactly("sync", "exists");
        assertThat(created.getId()).isNotNull();
    }

    @Test
    void stopEndsNotificationsAndUnknownChannelsAreNotFound() throws Exception {
        Channel channel = watch(null);
        receiver.awaitCount(1);

        calendar.channels().stop(new Channel().setId(channel.getId()).setResourceId(channel.getResourceId())).execute();
        insert(meeting("Nobody listens"));
        GoogleJsonResponseException again = googleError(() -> calendar.channels()
                .stop(new Channel().setId(channel.getId()).setResourceId(channel.getResourceId())).execute());
        GoogleJsonResponseException unknown = googleError(() -> calendar.channels()
                .stop(new Channel().setId("never-created").setResourceId("x")).execute());

        assertThat(control().channels().getFirst().stopped()).isTrue();
        assertThat(control().channels().getFirst().lastMessageNumber()).isEqualTo(1);
        assertThat(again.getStatusCode()).isEqualTo(404);
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(firstError(unknown).getMessage()).startsWith("Channel 'never-created' not found for project");
    }

    @Test
    void canDeliverMoreAfterStop() throws Exception {
        control().deliverAfterStop(1);
        Channel channel = watch(null);
        receiver.awaitCount(1);
        calendar.channels().stop(new Channel().setId(channel.getId()).setResourceId(channel.getResourceId())).execute();

        insert(meeting("Stale notification"));
        insert(meeting("No more"));
        List<PushReceiver.Notification> received = receiver.awaitCount(2);

        assertThat(received).extracting(PushReceiver.Notification::state).containsExactly("sync", "exists");
        assertThat(control().channels().getFirst().lastMessageNumber()).isGreaterThan(1);
    }

    @Test
    void droppedNotificationsLeaveAGapAndDuplicatesRepeatTheNumber() throws Exception {
        watch(null);
        receiver.awaitCount(1);

        control().dropNextPush(1);
        insert(meeting("Lost"));
        control().duplicateNextPush(1);
        insert(meeting("Twice"));
        List<PushReceiver.Notification> received = receiver.awaitCount(3);

        assertThat(received).extracting(PushReceiver.Notification::state).containsExactly("sync", "exists", "exists");
        assertThat(received.get(1).number()).isEqualTo(received.get(2).number());
        assertThat(control().deliveryAttempts()).extracting(DeliveryAttempt::outcome)
                .contains(DeliveryAttempt.Outcome.DROPPED);
    }

    @Test
    void delayedNotificationsStillArrive() throws Exception {
        control().delayPush(Duration.ofMillis(200));

        watch(null);

        assertThat(receiver.awaitCount(1).getFirst().state()).isEqualTo("sync");
    }

    @Test
    void anEditByAnotherUserNotifiesAndBumpsSequence() throws Exception {
        Event created = insert(meeting("Client call"));
        watch(null);
        receiver.awaitCount(1);

        control().editAsUser("primary", created.getId(), ExternalEdit.by("client@other.test")
                .withTimes(BASE.plus(Duration.ofHours(3)), BASE.plus(Duration.ofHours(4)))
                .withAttendeeResponse("client@other.test", "accepted"));
        receiver.awaitCount(2);
        Event fetched = calendar.events().get("primary", created.getId()).execute();

        assertThat(fetched.getSequence()).isEqualTo(1);
        assertThat(fetched.getEtag()).isNotEqualTo(created.getEtag());
        assertThat(fetched.getStart().getDateTime().getValue()).isEqualTo(BASE.plus(Duration.ofHours(3)).toEpochMilli());
        assertThat(fetched.getAttendees().getFirst().getResponseStatus()).isEqualTo("accepted");
    }

    @Test
    void aPendingConferenceNotifiesWhenItResolves() throws Exception {
        control().setConferenceModeForNext(1, ConferenceMode.pending(1));
        watch(null);
        receiver.awaitCount(1);

        Event created = calendar.events().insert("primary", meeting("Meet later").setConferenceData(new ConferenceData()
                        .setCreateRequest(new CreateConferenceRequest().setRequestId(newId())
                                .setConferenceSolutionKey(new ConferenceSolutionKey().setType("hangoutsMeet")))))
                .setConferenceDataVersion(1).execute();
        calendar.events().get("primary", created.getId()).execute();

        assertThat(receiver.awaitCount(3)).extracting(PushReceiver.Notification::state)
                .containsExactly("sync", "exists", "exists");
    }

    @Test
    void watchValidatesTheChannel() {
        GoogleJsonResponseException longId = googleError(() -> calendar.events().watch("primary", new Channel()
                .setId("x".repeat(65)).setType("web_hook").setAddress(receiver.address())).execute());
        GoogleJsonResponseException badType = googleError(() -> calendar.events().watch("primary", new Channel()
                .setId("c1").setType("email").setAddress(receiver.address())).execute());
        GoogleJsonResponseException pastExpiration = googleError(() -> calendar.events().watch("primary", new Channel()
                .setId("c2").setType("web_hook").setAddress(receiver.address())
                .setExpiration(Instant.now().getEpochSecond())).execute());
        GoogleJsonResponseException negativeTtl = googleError(() -> calendar.events().watch("primary", new Channel()
                .setId("c3").setType("web_hook").setAddress(receiver.address())
                .setParams(Map.of("ttl", "-5"))).execute());
        GoogleJsonResponseException holidays = googleError(() -> calendar.events()
                .watch("en.usa#holiday@group.v.calendar.google.com", new Channel()
                        .setId("c4").setType("web_hook").setAddress(receiver.address())).execute());

        assertThat(longId.getStatusCode()).isEqualTo(400);
        assertThat(badType.getStatusCode()).isEqualTo(400);
        assertThat(firstError(pastExpiration).getReason()).isEqualTo("pushInvalidTtl");
        assertThat(firstError(negativeTtl).getReason()).isEqualTo("pushInvalidTtl");
        assertThat(firstError(holidays).getReason()).isEqualTo("pushNotSupportedForRequestedResource");
    }

    @Test
    void channelIdsAreSingleUse() throws Exception {
        Channel channel = watch(null);

        GoogleJsonResponseException error = googleError(() -> calendar.events().watch("primary", new Channel()
                .setId(channel.getId()).setType("web_hook").setAddress(receiver.address())).execute());

        assertThat(error.getStatusCode()).isEqualTo(400);
        assertThat(firstError(error).getReason()).isEqualTo("channelIdNotUnique");
    }

    @Test
    void ttlIsHonouredAndClampedToTheMaximum() throws Exception {
        Channel shortLived = calendar.events().watch("primary", new Channel().setId("short")
                .setType("web_hook").setAddress(receiver.address()).setParams(Map.of("ttl", "3600"))).execute();
        Channel greedy = calendar.events().watch("primary", new Channel().setId("greedy")
                .setType("web_hook").setAddress(receiver.address()).setParams(Map.of("ttl", "2592000"))).execute();

        long now = Instant.now().toEpochMilli();
        assertThat(shortLived.getExpiration()).isCloseTo(now + 3_600_000L, within(60_000L));
        assertThat(greedy.getExpiration()).isCloseTo(now + Duration.ofDays(7).toMillis(), within(60_000L));
    }

    @Test
    void httpWebhooksNeedTheTestFlag() {
        try (GoogleCalendarEmulator strict = GoogleCalendarEmulator.start(EmulatorOptions.defaults())) {
            GoogleJsonResponseException error = googleError(() -> client(strict, null).events().watch("primary",
                    new Channel().setId("plain-http").setType("web_hook").setAddress(receiver.address())).execute());

            assertThat(error.getStatusCode()).isEqualTo(400);
            assertThat(firstError(error).getReason()).isEqualTo("push.webhookUrlNotHttps");
            assertThat(firstError(error).getMessage()).isEqualTo("WebHook callback must be HTTPS: " + receiver.address());
        }
    }
}
