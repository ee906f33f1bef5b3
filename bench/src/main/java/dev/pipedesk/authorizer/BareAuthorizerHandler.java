package dev.pipedesk.authorizer;

import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.auth.TokenVerifier;
import dev.pipedesk.bench.BareHandler;
import dev.pipedesk.core.Env;
import dev.pipedesk.lambda.AuthorizerShell;

/** The authorizer without Spring: what {@code AuthorizerApplication} builds, with constructors (bench only). */
public final class BareAuthorizerHandler extends BareHandler {
    public BareAuthorizerHandler() {
        super(new AuthorizerShell(new Authorizer(new TokenVerifier(JwtSettings.fromEnv(Env.of(System::getenv,
                JwtSettings.VARIABLES))), RoutePolicy.standard())));
    }
}
