package dev.pipedesk.infra;

import dev.pipedesk.core.metrics.OperatorMetric;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Alarms to an encrypted SNS topic, and a dashboard: the operator metrics (namespace
 * {@link OperatorMetric#NAMESPACE}, dimension {@link OperatorMetric#STAGE_DIMENSION} = the stage),
 * the queues, the functions and the API. docs/deploy.md says what each alarm means and what to do.
 */
public final class Monitoring extends Construct {

    /** The API's 5xx share (percent of requests, 5 minutes) above which its alarm fires. */
    public static final double API_5XX_PERCENT = 1;

    private final Topic alarmTopic;
    private final List<Alarm> alarms = new ArrayList<>();
    private final DeploymentSettings settings;

    public Monitoring(Construct scope, String id, DeploymentSettings settings, Map<DeployedFunction, Function> functions,
                      HttpApi api, HttpStage stage, Queue auditQueue, Queue auditDeadLetters, Queue syncQueue,
                      Queue syncDeadLetters) {
        super(scope, id);
        this.settings = settings;
        Key key = Key.Builder.create(this, "AlarmTopicKey")
                .description("PipeDesk " + settings.stage() + ": encrypts the alarm topic")
                .enableKeyRotation(true)
                .build();
        key.grantEncryptDecrypt(new ServicePrincipal("cloudwatch.amazonaws.com"));
        alarmTopic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("PipeDesk " + settings.stage() + " alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        settings.alarmEmail().ifPresent(email -> alarmTopic.addSubscription(new EmailSubscription(email)));
        SnsAction action = new SnsAction(alarmTopic);

        alarm("AuditDeadLetters", "Audit events in the dead-letter queue: rejected or undeliverable (docs/deploy.md)",
                auditDeadLetters.metricApproximateNumberOfMessagesVisible(every(1, "Maximum")), 0, 1);
        alarm("SyncDeadLetters", "Sync requests in the dead-letter queue (docs/deploy.md)",
                syncDeadLetters.metricApproximateNumberOfMessagesVisible(every(1, "Maximum")), 0, 1);
        alarm("AuditQueueOldestMessage", "The oldest audit message is older than " + settings.auditMaxAgeSeconds()
                        + " s: the writer is behind or failing",
                auditQueue.metricApproximateAgeOfOldestMessage(every(1, "Maximum")), settings.auditMaxAgeSeconds(), 5);
        for (Map.Entry<DeployedFunction, Function> entry : functions.entrySet()) {
            String name = entry.getKey().folder();
            alarm("Errors-" + name, name + " returned errors", entry.getValue().metricErrors(every(5, "Sum")), 0, 1);
            alarm("Throttles-" + name, name + " was throttled", entry.getValue().metricThrottles(every(5, "Sum")), 0, 1);
        }
        MathExpression serverErrorRate = MathExpression.Builder.create()
                .expression("IF(requests > 0, 100 * errors / requests, 0)")
                .usingMetrics(Map.of(
                        "errors", api.metricServerError(every(5, "Sum")),
                        "requests", api.metricCount(every(5, "Sum"))))
                .label("API 5xx %")
                .period(Duration.minutes(5))
                .build();
        alarm("Api5xxRate", "More than " + API_5XX_PERCENT + " % of API requests answered 5xx", serverErrorRate,
                API_5XX_PERCENT, 1);
        alarm("ChannelRenewalsFailed", "A watch-channel renewal failed", operator(OperatorMetric.CHANNEL_RENEWALS_FAILED, "Sum"), 0, 1);
        alarm("CalendarsSyncFailed", "A calendar's sync is failed", operator(OperatorMetric.CALENDARS_SYNC_FAILED, "Maximum"), 0, 1);
        alarm("ChannelsExpiringWithoutSuccessor", "A watch channel is near expiry with no successor",
                operator(OperatorMetric.CHANNELS_EXPIRING_WITHOUT_SUCCESSOR, "Maximum"), 0, 5);
        for (Alarm alarm : alarms) {
            alarm.addAlarmAction(action);
            alarm.addOkAction(action);
        }

        Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName("pipedesk-" + settings.stage())
                .build();
        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# PipeDesk " + settings.stage() + "\nOperator metrics (namespace `" + OperatorMetric.NAMESPACE
                        + "`), queues, functions and the API. Alarms: docs/deploy.md.")
                .width(24).height(2).build());
        List<IMetric> operatorMetrics = Arrays.stream(OperatorMetric.values())
                .map(metric -> (IMetric) operator(metric, "Sum")).toList();
        dashboard.addWidgets(graph("Operator metrics", operatorMetrics, 24));
        dashboard.addWidgets(
                graph("Queue depth", List.of(
                        auditQueue.metricApproximateNumberOfMessagesVisible(every(1, "Maximum")),
                        auditDeadLetters.metricApproximateNumberOfMessagesVisible(every(1, "Maximum")),
                        syncQueue.metricApproximateNumberOfMessagesVisible(every(1, "Maximum")),
                        syncDeadLetters.metricApproximateNumberOfMessagesVisible(every(1, "Maximum"))), 12),
                graph("Oldest audit message (s)", List.of(auditQueue.metricApproximateAgeOfOldestMessage(every(1, "Maximum"))), 12));
        dashboard.addWidgets(
                graph("Function errors", functions.values().stream()
                        .map(function -> (IMetric) function.metricErrors(every(5, "Sum"))).toList(), 12),
                graph("Function duration p95 (ms)", functions.values().stream()
                        .map(function -> (IMetric) function.metricDuration(every(5, "p95"))).toList(), 12));
        dashboard.addWidgets(
                graph("API requests, 4xx, 5xx", List.of(api.metricCount(every(5, "Sum")),
                        api.metricClientError(every(5, "Sum")), api.metricServerError(every(5, "Sum"))), 12),
                graph("API latency (ms)", List.of(api.metricLatency(every(5, "p50")), api.metricLatency(every(5, "p95")),
                        api.metricIntegrationLatency(every(5, "p95"))), 12));
    }

    /** An operator metric of this stage, as the functions write it (embedded metric format). */
    private Metric operator(OperatorMetric metric, String statistic) {
        return Metric.Builder.create()
                .namespace(OperatorMetric.NAMESPACE)
                .metricName(metric.metricName())
                .dimensionsMap(Map.of(OperatorMetric.STAGE_DIMENSION, settings.stage()))
                .statistic(statistic)
                .period(Duration.minutes(5))
                .build();
    }

    private void alarm(String id, String description, IMetric metric, double threshold, int evaluationPeriods) {
        alarms.add(Alarm.Builder.create(this, id)
                .alarmName("pipedesk-" + settings.stage() + "-" + id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(evaluationPeriods)
                .datapointsToAlarm(evaluationPeriods)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
    }

    private static MetricOptions every(int minutes, String statistic) {
        return MetricOptions.builder().period(Duration.minutes(minutes)).statistic(statistic).build();
    }

    private static GraphWidget graph(String title, List<IMetric> metrics, int width) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(width).height(6).build();
    }

    public Topic alarmTopic() {
        return alarmTopic;
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }
}
