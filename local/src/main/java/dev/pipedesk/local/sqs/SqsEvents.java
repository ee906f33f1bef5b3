package dev.pipedesk.local.sqs;

import dev.pipedesk.core.Json;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON Lambda's SQS event source mapping exchanges with a function: the SQS event it sends,
 * and the partial batch response ({@code ReportBatchItemFailures}) it reads back.
 */
public final class SqsEvents {
    private SqsEvents() {
    }

    /**
     * {@code {"Records":[{messageId, receiptHandle, body, attributes, messageAttributes, md5OfBody,
     * eventSource:"aws:sqs", eventSourceARN, awsRegion}]}}, as Lambda builds it from received messages.
     */
    public static String event(List<Message> messages, String queueArn, String region) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Message message : messages) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            record.put("attributes", new LinkedHashMap<>(message.attributesAsStrings()));
            Map<String, Object> attributes = new LinkedHashMap<>();
            message.messageAttributes().forEach((name, value) -> attributes.put(name, messageAttribute(value)));
            record.put("messageAttributes", attributes);
            record.put("md5OfBody", message.md5OfBody());
            if (message.md5OfMessageAttributes() != null) {
                record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
            }
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", region);
            records.add(record);
        }
        return Json.write(Map.of("Records", records));
    }

    private static Map<String, Object> messageAttribute(MessageAttributeValue value) {
        Map<String, Object> attribute = new LinkedHashMap<>();
        attribute.put("stringValue", value.stringValue());
        attribute.put("binaryValue", value.binaryValue() == null ? null
                : Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        attribute.put("stringListValues", value.stringListValues());
        attribute.put("binaryListValues", value.binaryListValues().stream()
                .map(b -> Base64.getEncoder().encodeToString(b.asByteArray())).toList());
        attribute.put("dataType", value.dataType());
        return attribute;
    }

    /**
     * The message ids a function reported as failed, or empty when its response is not a valid
     * partial batch response, in which case Lambda treats the whole batch as failed.
     *
     * <p>As Lambda reads it: no output, {@code null}, {@code {}}, a missing, null or empty
     * {@code batchItemFailures} all mean the whole batch succeeded; an entry with a null or empty
     * {@code itemIdentifier}, or one that is not a message of the batch, makes the response invalid.
     */
    public static Optional<Set<String>> failedMessageIds(String output, Set<String> batchMessageIds) {
        if (output == null || output.isBlank()) {
            return Optional.of(Set.of());
        }
        JsonNode response;
        try {
            response = Json.MAPPER.readTree(output);
        } catch (JacksonException e) {
            return Optional.empty();
        }
        if (response == null || response.isNull() || response.isMissingNode()) {
            return Optional.of(Set.of());
        }
        if (!response.isObject()) {
            return Optional.empty();
        }
        JsonNode failures = response.get("batchItemFailures");
        if (failures == null || failures.isNull()) {
            return Optional.of(Set.of());
        }
        if (!failures.isArray()) {
            return Optional.empty();
        }
        Set<String> failed = new HashSet<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure.get("itemIdentifier");
            if (id == null || !id.isString() || id.asString().isEmpty() || !batchMessageIds.contains(id.asString())) {
                return Optional.empty();
            }
            failed.add(id.asString());
        }
        return Optional.of(Set.copyOf(failed));
    }
}
