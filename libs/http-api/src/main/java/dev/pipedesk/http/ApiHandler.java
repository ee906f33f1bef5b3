package dev.pipedesk.http;

import dev.pipedesk.auth.Principal;

/** Business entry point of one API function: a verified caller and a request, no AWS types. */
@FunctionalInterface
public interface ApiHandler {
    HttpResponse handle(HttpRequest request, Caller caller);

    /** The verified principal and whether the route policy asks for redacted output. */
    record Caller(Principal principal, boolean redacted) {
    }
}
