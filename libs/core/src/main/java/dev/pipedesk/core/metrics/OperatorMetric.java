package dev.pipedesk.core.metrics;

/**
 * The CloudWatch metrics operators watch, written by the functions in embedded metric format
 * (namespace {@link #NAMESPACE}, one dimension {@link #STAGE_DIMENSION} whose value is
 * {@link MetricsSettings#stage()}), and read by the CDK app's alarms and dashboard. The metric
 * names here are the only spelling: both sides use these constants.
 */
public enum OperatorMetric {
    /** Audit events the audit-writer stored (new rows; duplicates not counted). */
    AUDIT_EVENTS_WRITTEN("AuditEventsWritten", "Count"),
    /** Audit events the audit-writer refused as outside the contract (they go to the DLQ). */
    AUDIT_EVENTS_REJECTED("AuditEventsRejected", "Count"),
    /** Google changes the sync applied to the mirror (created, updated or cancelled rows). */
    SYNC_CHANGES_APPLIED("SyncChangesApplied", "Count"),
    /** Calendars whose sync is {@code failed}, as seen by the scheduled run (a gauge). */
    CALENDARS_SYNC_FAILED("CalendarsSyncFailed", "Count"),
    /** Watch channels opened in place of expiring ones. */
    CHANNELS_RENEWED("ChannelsRenewed", "Count"),
    /** Watch-channel renewals that failed. */
    CHANNEL_RENEWALS_FAILED("ChannelRenewalsFailed", "Count"),
    /** Channels inside their renewal window with no successor, as seen by the scheduled run (a gauge). */
    CHANNELS_EXPIRING_WITHOUT_SUCCESSOR("ChannelsExpiringWithoutSuccessor", "Count"),
    /** Requests answered 429 by the per-user or per-IP rate limit. */
    REQUESTS_RATE_LIMITED("RequestsRateLimited", "Count");

    /** The CloudWatch namespace of every operator metric. */
    public static final String NAMESPACE = "PipeDesk";
    /** The one dimension: the deployment stage (e.g. {@code prod}), {@code local} locally. */
    public static final String STAGE_DIMENSION = "Stage";

    private final String metricName;
    private final String unit;

    OperatorMetric(String metricName, String unit) {
        this.metricName = metricName;
        this.unit = unit;
    }

    /** The CloudWatch metric name, e.g. {@code AuditEventsWritten}. */
    public String metricName() {
        return metricName;
    }

    /** The CloudWatch unit, e.g. {@code Count}. */
    public String unit() {
        return unit;
    }
}
