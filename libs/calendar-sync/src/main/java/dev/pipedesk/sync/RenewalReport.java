package dev.pipedesk.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * What one scheduled renewal run did ({@link ChannelManager#renewAll()}), serialised into the
 * run's JSON summary.
 *
 * @param ranAt           when the run started
 * @param webhookAddress  the address channels are opened with, or null when {@code WEBHOOK_BASE_URL} is unset
 * @param calendars       each synced calendar, by id
 * @param expiredChannels channels whose expiry had passed without a stop, marked stopped in this run
 */
public record RenewalReport(@JsonProperty("ran_at") Instant ranAt,
                            @JsonProperty("webhook_address") String webhookAddress,
                            @JsonProperty("calendars") List<CalendarRenewal> calendars,
                            @JsonProperty("expired_channels") List<String> expiredChannels) {

    public RenewalReport {
        calendars = List.copyOf(calendars);
        expiredChannels = List.copyOf(expiredChannels);
    }
}
