package dev.pipedesk.sync;

import java.util.function.UnaryOperator;

/**
 * A Google Calendar push notification as it arrived: the raw values of its {@code X-Goog-*}
 * headers (null when absent) and the caller's address. Google posts an empty body; everything is
 * in the headers ({@code docs/google-calendar.md}, "Watch channels and push"). Nothing here is
 * checked yet: {@link NotificationGate} decides what the notification is worth.
 *
 * @param channelId     {@code X-Goog-Channel-ID}: the id PipeDesk gave the channel
 * @param token         {@code X-Goog-Channel-Token}: the channel's secret; never logged or printed
 * @param resourceId    {@code X-Goog-Resource-ID}: Google's id of the watched resource
 * @param resourceState {@code X-Goog-Resource-State}: {@code sync}, {@code exists}, {@code not_exists}, …
 * @param messageNumber {@code X-Goog-Message-Number}, as sent (a positive integer when well-formed)
 * @param sourceIp      the caller's IP address, as API Gateway saw it (for the security log)
 */
public record PushNotification(String channelId, String token, String resourceId, String resourceState,
                               String messageNumber, String sourceIp) {

    public static final String CHANNEL_ID_HEADER = "X-Goog-Channel-ID";
    public static final String TOKEN_HEADER = "X-Goog-Channel-Token";
    public static final String RESOURCE_ID_HEADER = "X-Goog-Resource-ID";
    public static final String RESOURCE_STATE_HEADER = "X-Goog-Resource-State";
    public static final String MESSAGE_NUMBER_HEADER = "X-Goog-Message-Number";

    /**
     * The notification in a request's headers.
     *
     * @param header a header's value by name (any case the lookup needs), or null when absent
     */
    public static PushNotification fromHeaders(UnaryOperator<String> header, String sourceIp) {
        return new PushNotification(header.apply(CHANNEL_ID_HEADER), header.apply(TOKEN_HEADER),
                header.apply(RESOURCE_ID_HEADER), header.apply(RESOURCE_STATE_HEADER),
                header.apply(MESSAGE_NUMBER_HEADER), sourceIp);
    }

    /** Never prints the token, only whether there was one. */
    @Override
    public String toString() {
        return "PushNotification[channelId=" + channelId + ", token=" + (token == null ? "absent" : "(hidden)")
                + ", resourceId=" + resourceId + ", resourceState=" + resourceState + ", messageNumber="
                + messageNumber + ", sourceIp=" + sourceIp + "]";
    }
}
