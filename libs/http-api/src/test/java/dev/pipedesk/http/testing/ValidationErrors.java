package dev.pipedesk.http.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.FieldError;
import java.util.List;

/** The details of a 422 {@code validation_failed}, for tests of what an input parser refuses. */
public final class ValidationErrors {
    private ValidationErrors() {
    }

    /** The details {@code parse} throws; fails the test when it throws no validation error. */
    public static List<FieldError> of(Runnable parse) {
        return of(parse, null);
    }

    /** The same, naming {@code input} when there is no validation error. */
    @SuppressWarnings("unchecked")
    public static List<FieldError> of(Runnable parse, Object input) {
        try {
            parse.run();
        } catch (ApiException e) {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            return (List<FieldError>) e.details();
        }
        throw new AssertionError("expected a validation error" + (input == null ? "" : " for " + input));
    }

    /** The fields the details name, in order. */
    public static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }
}
