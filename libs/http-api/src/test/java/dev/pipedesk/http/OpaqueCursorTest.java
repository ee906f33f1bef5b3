package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class OpaqueCursorTest {
    record Position(@JsonProperty("at") String at, @JsonProperty("id") long id) {
    }

    @Test
    void readsBackWhatItWroteAsBase64UrlWithoutPadding() {
        String cursor = OpaqueCursor.encode(new Position("2026-03-01T12:00:00Z", 42));

        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(OpaqueCursor.decode(cursor, Position.class)).contains(new Position("2026-03-01T12:00:00Z", 42));
    }

    @Test
    void refusesWhatItDidNotWrite() {
        String tooLong = "A".repeat(OpaqueCursor.MAX_LENGTH + 1);
        String notJson = Base64.getUrlEncoder().withoutPadding().encodeToString("not json".getBytes());
        String wrongShape = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"id\":\"x\"}".getBytes());

        for (String cursor : new String[] {null, "", "%%%", tooLong, notJson, wrongShape}) {
            assertThat(OpaqueCursor.decode(cursor, Position.class)).as(cursor).isEmpty();
        }
    }

    @Test
    void aFingerprintIsFixedPerPartsAndDiffersForOthers() {
        String deal = OpaqueCursor.fingerprint("deal", "d-1");

        assertThat(deal).hasSize(16).isEqualTo(OpaqueCursor.fingerprint("deal", "d-1"));
        assertThat(OpaqueCursor.sameFingerprint(deal, OpaqueCursor.fingerprint("deal", "d-1"))).isTrue();
        assertThat(OpaqueCursor.sameFingerprint(deal, OpaqueCursor.fingerprint("lead", "d-1"))).isFalse();
        assertThat(OpaqueCursor.sameFingerprint(deal, OpaqueCursor.fingerprint("deal", "d-1", null))).isFalse();
        assertThat(OpaqueCursor.sameFingerprint(deal, null)).isFalse();
    }
}
