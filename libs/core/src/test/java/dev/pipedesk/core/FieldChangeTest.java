package dev.pipedesk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FieldChangeTest {

    @Test
    void keepLeavesTheCurrentValue() {
        assertThat(FieldChange.<String>keep().applyTo("now")).isEqualTo("now");
        assertThat(FieldChange.<String>keep().leaves("now")).isTrue();
    }

    @Test
    void clearRemovesTheValue() {
        assertThat(FieldChange.<String>clear().applyTo("now")).isNull();
        assertThat(FieldChange.<String>clear().leaves("now")).isFalse();
        assertThat(FieldChange.<String>clear().leaves(null)).isTrue();
    }

    @Test
    void setReplacesTheValueUnlessItIsTheSame() {
        assertThat(FieldChange.set("new").applyTo("now")).isEqualTo("new");
        assertThat(FieldChange.set("new").leaves("now")).isFalse();
        assertThat(FieldChange.set("now").leaves("now")).isTrue();
    }

    @Test
    void aNullIsAClearNotASet() {
        assertThatThrownBy(() -> FieldChange.set(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void comparedWithTheCurrentValueAChangeThatChangesNothingIsAKeep() {
        assertThat(FieldChange.set("now").comparedWith("now")).isEqualTo(FieldChange.keep());
        assertThat(FieldChange.set("new").comparedWith("now")).isEqualTo(FieldChange.set("new"));
        assertThat(FieldChange.<String>clear().comparedWith(null)).isEqualTo(FieldChange.keep());
    }

    @Test
    void mapChangesTheValueNotTheKindOfChange() {
        assertThat(FieldChange.set("abc").map(String::length)).isEqualTo(FieldChange.set(3));
        assertThat(FieldChange.<String>clear().map(String::length)).isEqualTo(FieldChange.clear());
        assertThat(FieldChange.<String>keep().map(String::length)).isEqualTo(FieldChange.keep());
    }
}
