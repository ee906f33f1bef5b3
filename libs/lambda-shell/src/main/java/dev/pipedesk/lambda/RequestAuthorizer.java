package dev.pipedesk.lambda;

/** The decision of an HTTP API authorizer: what {@link AuthorizerShell} hands each request to. */
public interface RequestAuthorizer {

    AuthorizerResponse authorize(AuthorizationRequest request);

    /** The answer to an event that could not be read: nothing of it is known, so a denial. */
    AuthorizerResponse refuseUnreadable();
}
