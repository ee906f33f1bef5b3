package dev.pipedesk.emulator.dynamodb;

/**
 * An error DynamoDB answers with HTTP 400 and {@code {"__type":"…#<type>","message":…}}; the SDK
 * turns the type into its exception class (e.g. {@code ConditionalCheckFailedException}).
 */
final class DynamoDbException extends RuntimeException {
    private final String type;

    DynamoDbException(String type, String message) {
        super(message);
        this.type = type;
    }

    String type() {
        return type;
    }

    static DynamoDbException validation(String message) {
        return new DynamoDbException("ValidationException", message);
    }

    static DynamoDbException tableNotFound(String table) {
        return new DynamoDbException("ResourceNotFoundException", "Requested resource not found: Table: " + table + " not found");
    }

    static DynamoDbException conditionFailed() {
        return new DynamoDbException("ConditionalCheckFailedException", "The conditional request failed");
    }
}
