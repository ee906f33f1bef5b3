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
import java.util.ArrayList;
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
        return all(context).getFirst();
    }

    /** Every stage of {@code -c stage=a,b}, in order, from one app. */
    static List<Synthesized> all(Map<String, Object> context) {
        Map<String, Object> all = new HashMap<>(Map.of(
                "aws:cdk:disable-asset-staging", true,
                "databaseUrl", DATABASE_URL,
                "databaseAdminSecretArn", ADMIN_SECRET_ARN));
        all.putAll(context);
        try {
            Path out = Files.createTempDirectory("pipedesk-cdk-test");
            App app = new App(AppProps.builder().context(all).outdir(out.toString()).build());
            List<Synthesized> stages = new ArrayList<>();
            for (PipeDeskStack stack : PipeDeskApp.stacks(app, PipeDeskApp.repositoryRoot(Path.of("").toAbsolutePath()))) {
                Template template = Template.fromStack(stack);
                List<SynthesisMessage> errors = Annotations.fromStack(stack)
                        .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
                stages.add(new Synthesized(stack, template, errors));
            }
            deleteRecursively(out); // the templates and the messages are in memory now
            return List.copyOf(stages);
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

    /** The logical id of the log group the function logs to (its LoggingConfig). */
    @SuppressWarnings("unchecked")
    String logGroupId(DeployedFunction function) {
        Map<String, Object> logging = (Map<String, Object>) properties(resources("AWS::Lambda::Function").get(functionId(function))).get("LoggingConfig");
        return ((Map<String, String>) logging.get("LogGroup")).get("Ref");
    }

    /** The logical id of the role the function runs with. */
    @SuppressWarnings("unchecked")
    String roleId(DeployedFunction function) {
        Map<String, Object> role = (Map<String, Object>) properties(resources("AWS::Lambda::Function").get(functionId(function))).get("Role");
        return ((List<String>) role.get("Fn::GetAtt")).getFirst();
    }

    /** Every statement of the inline policies attached to this role (by logical id). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> statements(String roleId) {
        List<Map<String, Object>> statements = new ArrayList<>();
        resources("AWS::IAM::Policy").values().stream().map(Synthesized::properties)
                .filter(policy -> ((List<Object>) policy.get("Roles")).contains(Map.of("Ref", roleId)))
                .forEach(policy -> statements.addAll((List<Map<String, Object>>) ((Map<String, Object>) policy
                        .get("PolicyDocument")).get("Statement")));
        return statements;
    }

    /** A statement's {@code Action} (a string or a list) as a list. */
    @SuppressWarnings("unchecked")
    static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? (List<String>) list : List.of((String) action);
    }

    /** A cycle of resources (through DependsOn, Ref, Fn::GetAtt), or empty: CloudFormation deploys no template with one. */
    @SuppressWarnings("unchecked")
    List<String> dependencyCycle() {
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        Map<String, java.util.Set<String>> edges = new HashMap<>();
        resources.forEach((id, resource) -> {
            java.util.Set<String> targets = new java.util.HashSet<>();
            collectReferences(resource, resources.keySet(), targets);
            targets.remove(id);
            edges.put(id, targets);
        });
        Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
        for (String start : edges.keySet()) {
            List<String> path = new ArrayList<>();
            if (cycleFrom(start, edges, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean cycleFrom(String id, Map<String, java.util.Set<String>> edges, Map<String, Integer> state, List<String> path) {
        Integer seen = state.get(id);
        if (seen != null) {
            if (seen == 1) {
                path.add(id);
            }
            return seen == 1;
        }
        state.put(id, 1);
        path.add(id);
        for (String next : edges.getOrDefault(id, java.util.Set.of())) {
            if (cycleFrom(next, edges, state, path)) {
                return true;
            }
        }
        path.removeLast();
        state.put(id, 2);
        return false;
    }

    @SuppressWarnings("unchecked")
    private static void collectReferences(Object node, java.util.Set<String> ids, java.util.Set<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("Ref".equals(key) && value instanceof String id && ids.contains(id)) {
                    into.add(id);
                } else if ("Fn::GetAtt".equals(key) && value instanceof List<?> list && ids.contains(String.valueOf(list.getFirst()))) {
                    into.add(String.valueOf(list.getFirst()));
                } else if ("DependsOn".equals(key)) {
                    (value instanceof List<?> list ? (List<Object>) list : List.of(value)).forEach(id -> into.add(String.valueOf(id)));
                } else {
                    collectReferences(value, ids, into);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectReferences(item, ids, into));
        }
    }
}
