package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void newGoogleEventIdsAreBase32HexAndUnique() {
        String a = Ids.newGoogleEventId();
        String b = Ids.newGoogleEventId();
        assertThat(a).matches("[a-v0-9]{26}");
        assertThat(Ids.isValidGoogleEventId(a)).isTrue();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void googleEventIdForKeyIsStablePerKeyAndDiffersAcrossKeys() {
        assertThat(Ids.googleEventIdFor("user-1:key-1")).isEqualTo(Ids.googleEventIdFor("user-1:key-1"));
        assertThat(Ids.googleEventIdFor("user-1:key-1")).isNotEqualTo(Ids.googleEventIdFor("user-2:key-1"));
        assertThat(Ids.isValidGoogleEventId(Ids.googleEventIdFor("x"))).isTrue();
    }

    @Test
    void rejectsIdsGoogleWouldRefuse() {
        assertThat(Ids.isValidGoogleEventId("abc")).isFalse();
        assertThat(Ids.isValidGoogleEventId("has-hyphen-123")).isFalse();
        assertThat(Ids.isValidGoogleEventId("wxyz12345")).isFalse();
    }
}
