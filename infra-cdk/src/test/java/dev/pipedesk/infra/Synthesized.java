package dev.pipedesk.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One synthesis of the app for a test class: the real function folders ({@code target/lambda},
 * built before this module), referenced in place (asset staging off: the copy would only cost
 * time), into a temporary cloud assembly.
 */
record Synthesized(PipeDeskStack stack, Template template, List<SynthesisMessage> nagErrors) {

    static final String ADMIN_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:pipedesk-admin-AbCdEf";
    static final String DATABASE_URL = "jdbc:postgresql://db.example.supabase.co:5432/postgres?sslmode=require";

    static Synthesized of(Map<String, Object> context) {
        Map<String, Object> all = new HashMap<>(Map.of(
                "aws:cdk:disable-asset-staging", true,
                "databaseUrl", DATABASE_URL,
                "databaseAdminSecretArn", ADMIN_SECRET_ARN));
        all.putAll(context);
        try {
            Path out = Files.createTempDirectory("pipedesk-cdk-test");
            App app = new App(AppProps.builder().context(all).outdir(out.toString()).build());
            PipeDeskStack stack = PipeDeskApp.stacks(app, PipeDeskApp.repositoryRoot(Path.of("").toAbsolutePath())).getFirst();
            Template template = Template.fromStack(stack);
            List<SynthesisMessage> errors = Annotations.fromStack(stack)
                    .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
            deleteRecursively(out); // the template and the messages are in memory now
            return new Synthesized(stack, template, errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    Map<String, Map<String, Object>> resources(String type) {
        return template.findResources(type);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    /** The logical id of the function deployed from {@code functions/<folder>}. */
    String functionId(DeployedFunction function) {
        return resources("AWS::Lambda::Function").entrySet().stream()
                .filter(entry -> ("pipedesk-" + stack.settings().stage() + "-" + function.folder())
                        .equals(properties(entry.getValue()).get("FunctionName")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> environment(DeployedFunction function) {
        Map<String, Object> properties = properties(resources("AWS::Lambda::Function").get(functionId(function)));
        return (Map<String, Object>) ((Map<String, Object>) properties.get("Environment")).get("Variables");
    }
}
