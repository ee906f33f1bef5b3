package dev.pipedesk.core.email;

import dev.pipedesk.core.WireEnum;
import java.util.Optional;

/** Whether the CRM's side received ({@code inbound}) or sent ({@code outbound}) an e-mail. */
public enum EmailDirection implements WireEnum {
    INBOUND, OUTBOUND;

    public static Optional<EmailDirection> parse(String raw) {
        return WireEnum.parse(EmailDirection.class, raw);
    }
}
