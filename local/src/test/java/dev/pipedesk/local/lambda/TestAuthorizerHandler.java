package dev.pipedesk.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in Lambda authorizer (simple responses) for the gateway's own tests:
 * {@code Bearer allow} is allowed as user u-1 (sales), {@code Bearer deny-403} is forbidden,
 * anything else is unauthorized.
 */
public class TestAuthorizerHandler implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        String answer;
        if (event.contains("\"identitySource\":[\"Bearer allow\"]")) {
            answer = "{\"isAuthorized\":true,\"context\":{\"userId\":\"u-1\",\"email\":\"u1@pipedesk.local\",\"role\":\"sales\"}}";
        } else if (event.contains("\"identitySource\":[\"Bearer deny-403\"]")) {
            answer = "{\"isAuthorized\":false,\"context\":{\"status\":403,\"code\":\"forbidden\",\"message\":\"Sales may not do this.\"}}";
        } else {
            answer = "{\"isAuthorized\":false,\"context\":{\"status\":401,\"code\":\"unauthorized\",\"message\":\"The token is not valid.\"}}";
        }
        output.write(answer.getBytes(StandardCharsets.UTF_8));
    }
}
