package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** If-Match (strong comparison) and If-None-Match (weak comparison) as RFC 9110 defines them. */
class ConditionalRequestHeadersTest {
    private static final EntityTag CURRENT = EntityTag.strong("v2");

    private static HttpRequest withHeader(String name, String value) {
        return new HttpRequest("GET /x", "GET", "/x", Map.of(), Map.of(), Map.of(name, value), null, "r", "ip", "ua",
                Map.of());
    }

    private static HttpRequest withoutHeaders() {
        return new HttpRequest("GET /x", "GET", "/x", Map.of(), Map.of(), Map.of(), null, "r", "ip", "ua", Map.of());
    }

    @Test
    void theCurrentTagTheWildcardOrNoHeaderAllowTheChange() {
        assertThat(IfMatch.of(withHeader("if-match", "\"v2\"")).allows(CURRENT)).isTrue();
        assertThat(IfMatch.of(withHeader("if-match", "\"v1\", \"v2\"")).allows(CURRENT)).isTrue();
        assertThat(IfMatch.of(withHeader("if-match", "*")).allows(CURRENT)).isTrue();
        assertThat(IfMatch.of(withoutHeaders()).allows(CURRENT)).isTrue();
    }

    @Test
    void aStaleOrWeakTagRefusesTheChange() {
        assertThat(IfMatch.of(withHeader("if-match", "\"v1\"")).allows(CURRENT)).isFalse();
        assertThat(IfMatch.of(withHeader("if-match", "W/\"v2\"")).allows(CURRENT)).isFalse();
    }

    @Test
    void ifNoneMatchHoldsTheCurrentVersionWeakOrStrong() {
        assertThat(IfNoneMatch.of(withHeader("if-none-match", "\"v2\"")).holds(CURRENT)).isTrue();
        assertThat(IfNoneMatch.of(withHeader("if-none-match", "W/\"v2\"")).holds(CURRENT)).isTrue();
        assertThat(IfNoneMatch.of(withHeader("if-none-match", "\"v0\",,\t\"v2\"")).holds(CURRENT)).isTrue();
        assertThat(IfNoneMatch.of(withHeader("if-none-match", "*")).holds(CURRENT)).isTrue();
        assertThat(IfNoneMatch.of(withHeader("if-none-match", "\"v1\"")).holds(CURRENT)).isFalse();
        assertThat(IfNoneMatch.of(withoutHeaders()).holds(CURRENT)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "\"v2", "\"v2\" \"v3\"", "W/v2", ",", "\"a\"b\"", "*, \"v2\"", "\"caf\u00e9\""})
    void aMalformedHeaderIs400(String value) {
        assertThatThrownBy(() -> IfMatch.of(withHeader("if-match", value)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> IfNoneMatch.of(withHeader("if-none-match", value)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void notModifiedHasNoBodyAndNamesTheVersion() {
        HttpResponse response = HttpResponse.notModified(CURRENT);

        assertThat(response.status()).isEqualTo(304);
        assertThat(response.body()).isNull();
        assertThat(response.headers()).containsEntry("ETag", "\"v2\"");
    }
}
