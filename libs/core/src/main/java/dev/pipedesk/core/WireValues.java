package dev.pipedesk.core;

import java.util.HashMap;
import java.util.Map;

/** Each {@link WireEnum} type's constants by wire value (the first constant of a value), made once per type. */
final class WireValues {
    static final ClassValue<Map<String, Object>> OF = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> type) {
            Map<String, Object> byWire = new HashMap<>();
            for (Object constant : type.getEnumConstants()) {
                byWire.putIfAbsent(((WireEnum) constant).wire(), constant);
            }
            return Map.copyOf(byWire);
        }
    };

    private WireValues() {
    }
}
