package dev.pipedesk.lambda;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The priming events a function bundles for its {@link SnapStartResource}: each function keeps
 * them under {@code src/main/resources/priming/}, chosen so that its shell answers them without
 * a side effect (a validation refusal, a token that fails before any key is fetched, ...).
 */
public final class Priming {
    private Priming() {
    }

    /**
     * The resource at {@code path} (e.g. {@code priming/event.json}) of {@code owner}'s class
     * loader, as a fresh stream, as the Lambda runtime hands an invocation's event to the handler.
     *
     * @throws IllegalStateException when the function does not bundle it
     */
    public static InputStream event(Class<?> owner, String path) {
        try (InputStream in = owner.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No priming event " + path + " beside " + owner.getName());
            }
            return new ByteArrayInputStream(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
