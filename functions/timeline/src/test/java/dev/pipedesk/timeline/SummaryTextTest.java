package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wording rules of every summary: one line, cut by characters, sorted field lists, UTC times. */
class SummaryTextTest {

    @Test
    void putsAValueOnOneLine() {
        assertThat(SummaryText.cut("  Quarterly\r\n\treview\u0000of\u2028Q3  ", 100)).isEqualTo("Quarterly review of Q3");
    }

    @Test
    void cutsAtTheLimitAndSaysSo() {
        assertThat(SummaryText.cut("abcdef", 6)).isEqualTo("abcdef");
        assertThat(SummaryText.cut("abcdefg", 6)).isEqualTo("abcdef…");
        assertThat(SummaryText.cut("abc def", 3)).isEqualTo("abc…");
    }

    @Test
    void countsCharactersNotUtf16UnitsSoNoEmojiIsSplit() {
        String cut = SummaryText.cut("a".repeat(99) + "😀😀", 100);

        assertThat(cut).isEqualTo("a".repeat(99) + "😀…");
    }

    @Test
    void dropsBidiOverridesThatWouldReorderTheRestOfTheSummary() {
        assertThat(SummaryText.cut("Kick\u202Eoff\u202C \u2067x\u2069", 100)).isEqualTo("Kickoff x");
    }

    @Test
    void namesAnAbsentOrBlankValueByItsFallback() {
        assertThat(SummaryText.name(null, "(no title)")).isEqualTo("(no title)");
        assertThat(SummaryText.name(" \n ", "(no title)")).isEqualTo("(no title)");
    }

    @Test
    void showsJsonValuesAsText() {
        assertThat(SummaryText.value(Json.MAPPER.readTree("\"won\""))).isEqualTo("won");
        assertThat(SummaryText.value(Json.MAPPER.readTree("null"))).isEqualTo("none");
        assertThat(SummaryText.value(null)).isEqualTo("none");
        assertThat(SummaryText.value(Json.MAPPER.readTree("1500.5"))).isEqualTo("1500.5");
        assertThat(SummaryText.value(Json.MAPPER.readTree("\"\""))).isEqualTo("(empty)");
        assertThat(SummaryText.value(Json.MAPPER.readTree("{\"a\":[1,2]}"))).isEqualTo("{\"a\":[1,2]}");
    }

    @Test
    void listsFieldsSortedAndCountsThoseBeyondTen() {
        assertThat(SummaryText.fields(List.of("value", "amount", "stage"))).isEqualTo("amount, stage, value");
        assertThat(SummaryText.fields(List.of("f12", "f11", "f10", "f09", "f08", "f07", "f06", "f05", "f04", "f03", "f02", "f01")))
                .isEqualTo("f01, f02, f03, f04, f05, f06, f07, f08, f09, f10 and 2 more");
    }

    @Test
    void showsTimesInUtcInEnglishWithSecondsOnlyWhenThereAreSome() {
        assertThat(SummaryText.time(Instant.parse("2026-06-02T15:00:00Z"))).isEqualTo("2 Jun 2026 15:00 UTC");
        assertThat(SummaryText.time(Instant.parse("2026-06-02T15:00:00.999Z"))).isEqualTo("2 Jun 2026 15:00 UTC");
        assertThat(SummaryText.time(Instant.parse("2026-12-31T23:59:07Z"))).isEqualTo("31 Dec 2026 23:59:07 UTC");
        assertThat(SummaryText.time(Json.MAPPER.readTree("\"2026-06-02T12:00:00-03:00\""))).isEqualTo("2 Jun 2026 15:00 UTC");
        assertThat(SummaryText.time(Json.MAPPER.readTree("\"soon\""))).isEqualTo("soon");
    }
}
