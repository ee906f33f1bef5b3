package dev.pipedesk.core;

/** The JSON error envelope every PipeDesk API answers with: {@code {"error":{...}}}. */
public record ErrorBody(Error error) {

    public record Error(String code, String message, Object details) {
    }

    public static ErrorBody of(ApiException e) {
        return new ErrorBody(new Error(e.errorCode().code(), e.getMessage(), e.details()));
    }

    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(new Error(code.code(), message, null));
    }
}
