package dev.pipedesk.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipedesk.core.Hashes;
import dev.pipedesk.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderedJsonTest {

    record Page(List<String> items, String note) {
    }

    @Test
    void rendersAsTheJsonItWasWrittenAsNotAsAWrapper() {
        Page page = new Page(List.of("a", "b\"c"), null);
        RenderedJson<Page> rendered = RenderedJson.of(page);

        assertThat(rendered.json()).isEqualTo(Json.write(page));
        assertThat(Json.write(rendered)).isEqualTo(Json.write(page));
        // The response carries the text it was written as: not written a second time.
        assertThat(ApiGatewayEvents.toResponse(HttpResponse.ok(rendered)).getBody()).isSameAs(rendered.json());
        assertThat(rendered.value()).isSameAs(page);
    }

    @Test
    void itsEntityTagIsAHashOfTheTextSoEqualBodiesHaveEqualTags() {
        RenderedJson<Page> one = RenderedJson.of(new Page(List.of("a"), "x"));
        RenderedJson<Page> same = RenderedJson.of(new Page(List.of("a"), "x"));
        RenderedJson<Page> other = RenderedJson.of(new Page(List.of("a"), "y"));

        assertThat(one.entityTag()).isEqualTo(same.entityTag());
        assertThat(one.entityTag()).isNotEqualTo(other.entityTag());
        assertThat(one.entityTag()).isEqualTo(EntityTag.strong(Hashes.sha256Hex(Json.write(new Page(List.of("a"), "x")))
                .substring(0, 32)));
        assertThat(one.entityTag().weak()).isFalse();
    }
}
