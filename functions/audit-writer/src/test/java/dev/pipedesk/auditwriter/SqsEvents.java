package dev.pipedesk.auditwriter;

import dev.pipedesk.core.Json;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** SQS events as the Lambda event source mapping delivers them. */
final class SqsEvents {
    private SqsEvents() {
    }

    static QueuedMessage message(String body) {
        return new QueuedMessage(UUID.randomUUID().toString(), body);
    }

    static String batch(List<QueuedMessage> messages) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (QueuedMessage message : messages) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", "AQEB" + message.messageId().replace("-", ""));
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            attributes.put("ApproximateReceiveCount", "1");
            attributes.put("SentTimestamp", "1772359200000");
            attributes.put("SenderId", "AROAEXAMPLE:pipedesk-calendar");
            attributes.put("ApproximateFirstReceiveTimestamp", "1772359200100");
            record.putObject("messageAttributes");
            record.put("md5OfBody", "0123456789abcdef0123456789abcdef");
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:pipedesk-audit");
            record.put("awsRegion", "us-east-1");
        }
        return Json.write(event);
    }
}
