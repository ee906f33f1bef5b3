package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireEnumTest {

    enum Colour implements WireEnum {
        DARK_RED,
        BLUE,
        TEAL {
            @Override
            public String wire() {
                return "blue-green";
            }
        }
    }

    @Test
    void readsAConstantByItsWireValueIgnoringCaseAndSurroundingBlanks() {
        assertThat(WireEnum.parse(Colour.class, "dark_red")).contains(Colour.DARK_RED);
        assertThat(WireEnum.parse(Colour.class, "  Dark_Red\t")).contains(Colour.DARK_RED);
        assertThat(WireEnum.parse(Colour.class, "BLUE")).contains(Colour.BLUE);
    }

    @Test
    void aConstantWithItsOwnWireValueIsReadByThatValue() {
        assertThat(WireEnum.parse(Colour.class, "blue-green")).contains(Colour.TEAL);
        assertThat(WireEnum.parse(Colour.class, "teal")).isEmpty();
    }

    @Test
    void anythingElseIsEmpty() {
        assertThat(WireEnum.parse(Colour.class, null)).isEmpty();
        assertThat(WireEnum.parse(Colour.class, "")).isEmpty();
        assertThat(WireEnum.parse(Colour.class, "dark red")).isEmpty();
        assertThat(WireEnum.parse(Colour.class, "purple")).isEmpty();
    }
}
