package dev.pipedesk.local;

import dev.pipedesk.auth.JwtSettings;
import dev.pipedesk.core.Env;
import dev.pipedesk.local.jwt.LocalTokens;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./pipedesk token --role sales [--sub ID] [--email E]}: prints one bearer token for the
 * local stack, for any role and user, signed as the stack signs (HS256 with the JWT secret, or
 * ES256 with the local key when {@code LOCAL_JWT_ALG=ES256}), from the same environment
 * variables, defaults and key file. A test helper: the stack need not be running.
 */
public final class TokenCommand {
    static final String USAGE = """
            Usage: ./pipedesk token --role <role> [--sub <user id>] [--email <e-mail>]
              Prints a bearer token (valid %d h) the local stack accepts, signed like the banner's
              tokens: HS256 with JWT_HS256_SECRET, or ES256 with the local key when LOCAL_JWT_ALG=ES256.
              --role   written as app_metadata.role: admin, manager, sales, viewer, client, an alias,
                       or anything else (to try a token without a PipeDesk role)
              --sub    the user id (default local-<role>)
              --email  the email claim (default <role>@pipedesk.local; --email '' leaves it out)
            """.formatted(LocalTokens.TOKEN_TTL.toHours());

    private TokenCommand() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        try {
            System.out.println(token(args, Env.of(System::getenv, LocalStackOptions.VARIABLES), RepoRoot.locate(), Clock.systemUTC()));
        } catch (IllegalArgumentException | IllegalStateException | LocalStackException e) {
            System.err.println("pipedesk token: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * The token {@code args} ask for.
     *
     * @throws IllegalArgumentException for unknown or incomplete arguments
     */
    static String token(String[] args, Env env, Path repoRoot, Clock clock) {
        Map<String, String> given = arguments(args);
        String role = given.get("--role");
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("--role is required (e.g. --role sales)");
        }
        String userId = given.getOrDefault("--sub", "local-" + role);
        String email = given.getOrDefault("--email", role + "@pipedesk.local");
        LocalStackOptions options = LocalStackOptions.defaults().withJwtVariables(LocalStackOptions.jwtVariablesFromEnv(env));
        JwtSettings settings = JwtSettings.fromEnv(new Env(options.authorizerJwtVariables()));
        LocalTokens tokens = new LocalTokens(settings, LocalTokens.loadOrCreateKey(LocalTokens.keyFile(repoRoot)),
                options.jwtAlgorithm(), clock);
        return tokens.issuer().issue(userId, email.isEmpty() ? null : email, role, LocalTokens.TOKEN_TTL);
    }

    private static Map<String, String> arguments(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!List.of("--role", "--sub", "--email").contains(name)) {
                throw new IllegalArgumentException("unknown argument '" + name + "' (try ./pipedesk token --help)");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            given.put(name, args[++i]);
        }
        return given;
    }
}
