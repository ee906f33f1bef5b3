package dev.pipedesk.secrets;

import java.util.HashMap;
import java.util.Map;

/** Secrets in a map; counts the reads; can be made unreachable. */
final class CountingSource implements SecretSource {
    private final Map<String, String> values = new HashMap<>();
    private int reads;
    private boolean unreachable;

    CountingSource put(String arn, String value) {
        values.put(arn, value);
        return this;
    }

    void unreachable(boolean value) {
        unreachable = value;
    }

    int reads() {
        return reads;
    }

    @Override
    public String read(String arn) {
        reads++;
        if (unreachable) {
            throw new SecretUnavailableException("Secret " + arn + " could not be read: connection refused");
        }
        String value = values.get(arn);
        if (value == null) {
            throw new SecretUnavailableException("Secret " + arn + " could not be read: ResourceNotFoundException");
        }
        return value;
    }
}
