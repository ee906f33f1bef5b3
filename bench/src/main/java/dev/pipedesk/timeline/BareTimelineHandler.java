package dev.pipedesk.timeline;

import dev.pipedesk.auth.RoutePolicy;
import dev.pipedesk.bench.BareHandler;
import dev.pipedesk.core.Env;
import dev.pipedesk.http.ApiFunction;
import dev.pipedesk.postgres.DatabaseSettings;
import dev.pipedesk.postgres.Databases;
import dev.pipedesk.state.DynamoDbRateLimiter;
import dev.pipedesk.state.RateLimitSettings;

/** The timeline function without Spring: what {@code TimelineApplication} builds, with constructors (bench only). */
public final class BareTimelineHandler extends BareHandler {
    public BareTimelineHandler() {
        super(build(Env.of(System::getenv, DatabaseSettings.VARIABLES, RateLimitSettings.VARIABLES)));
    }

    private static ApiFunction build(Env env) {
        var database = Databases.create(DatabaseSettings.fromEnv(env));
        return new ApiFunction(RoutePolicy.standard(), TimelineRoutes.on(database), DynamoDbRateLimiter.fromEnv(env));
    }
}
