package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pipedesk.core.FieldError;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpaqueCursorTest {
    record Position(@JsonProperty("at") String at, @JsonProperty("id") long id) {
    }

    record Page(@JsonProperty("id") long id, @JsonProperty("f") String fingerprint) implements OpaqueCursor.Payload {
        @Override
        public boolean valid() {
            return id > 0 && fingerprint != null;
        }
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

    @Test
    void readingACursorReportsOneCursorDetailForAnInvalidPayloadOrAnotherSelection() {
        String deal = OpaqueCursor.fingerprint("deal", "d-1");
        String cursor = OpaqueCursor.encode(new Page(7, deal));
        List<FieldError> problems = new ArrayList<>();

        assertThat(OpaqueCursor.read(cursor, Page.class, deal, "other", problems::add)).isEqualTo(new Page(7, deal));
        assertThat(OpaqueCursor.read(cursor, Page.class, null, "other", problems::add)).isEqualTo(new Page(7, deal));
        assertThat(problems).isEmpty();

        assertThat(OpaqueCursor.read(OpaqueCursor.encode(new Page(-1, deal)), Page.class, deal, "other", problems::add)).isNull();
        assertThat(OpaqueCursor.read("%%%", Page.class, null, "other", problems::add)).isNull();
        assertThat(OpaqueCursor.read(cursor, Page.class, OpaqueCursor.fingerprint("lead", "d-1"), "other", problems::add)).isNull();
        assertThat(problems).containsExactly(new FieldError("cursor", OpaqueCursor.INVALID),
                new FieldError("cursor", OpaqueCursor.INVALID), new FieldError("cursor", "other"));
    }
}
