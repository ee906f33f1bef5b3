package dev.pipedesk.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;
import software.amazon.awscdk.StageProps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The CDK app: one {@link Stage} per stage named in context ({@code -c stage=prod}, or
 * {@code -c stage=staging,prod}; default {@value DeploymentSettings#DEFAULT_STAGE}), each holding one
 * {@link PipeDeskStack}, checked by cdk-nag's AwsSolutions pack. Account and region come from the
 * environment ({@code CDK_DEFAULT_ACCOUNT}, {@code CDK_DEFAULT_REGION}, as the CDK CLI sets them);
 * none is written in code. {@code ./pipedesk synth} runs {@link #main} in-process (context from
 * {@code CDK_CONTEXT_JSON}, output to {@code CDK_OUTDIR}); {@code infra-cdk/cdk.json} lets the CDK
 * CLI run it too.
 */
public final class PipeDeskApp {

    private PipeDeskApp() {
    }

    /**
     * Synthesizes every stage into {@code CDK_OUTDIR}. Arguments: {@code -c key=value} (or
     * {@code --context key=value}), added to the context of {@code CDK_CONTEXT_JSON}. The checkout is
     * found from the system property {@code pipedesk.root}, else from the working directory.
     */
    public static void main(String[] args) {
        try {
            App app = new App(AppProps.builder().context(context(args)).build());
            List<PipeDeskStack> stacks = stacks(app, repositoryRoot(Path.of(System.getProperty("pipedesk.root", ""))
                    .toAbsolutePath()));
            var assembly = app.synth();
            List<String> errors = new ArrayList<>();
            for (var stackArtifact : assembly.getStacksRecursively()) {
                for (var message : stackArtifact.getMessages()) {
                    if (message.getLevel() == SynthesisMessageLevel.ERROR) {
                        errors.add(message.getId() + ": " + String.valueOf(message.getEntry().getData()).lines().findFirst().orElse(""));
                    }
                }
            }
            if (!errors.isEmpty()) {
                errors.forEach(error -> System.err.println("ERROR " + error));
                System.err.println("pipedesk synth: " + errors.size() + " error(s) above (cdk-nag AwsSolutions or CDK): not deployable");
                System.exit(1);
            }
            for (PipeDeskStack stack : stacks) {
                System.err.println("Synthesized " + stack.getNode().getPath().replace("/PipeDesk", "") + " (stack "
                        + stack.getStackName() + ") into " + assembly.getDirectory());
            }
        } catch (IllegalArgumentException e) {
            System.err.println("pipedesk synth: " + e.getMessage());
            System.exit(2);
        }
    }

    /** {@code -c key=value} pairs; anything else is refused. */
    static Map<String, Object> context(String[] args) {
        Map<String, Object> context = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String pair;
            if ((arg.equals("-c") || arg.equals("--context")) && i + 1 < args.length) {
                pair = args[++i];
            } else if (arg.startsWith("--context=")) {
                pair = arg.substring("--context=".length());
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + " (expected -c key=value)");
            }
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("-c " + pair + ": expected key=value");
            }
            context.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return context;
    }

    /** Adds every stage's stack to the app, checked by cdk-nag. */
    public static List<PipeDeskStack> stacks(App app, Path repositoryRoot) {
        Environment environment = Environment.builder()
                .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                .region(System.getenv("CDK_DEFAULT_REGION"))
                .build();
        List<PipeDeskStack> stacks = new ArrayList<>();
        for (String name : DeploymentSettings.stageNames(key -> app.getNode().tryGetContext(key))) {
            DeploymentSettings settings = DeploymentSettings.fromContext(name, key -> app.getNode().tryGetContext(key));
            Stage stage = new Stage(app, name, StageProps.builder().env(environment).build());
            PipeDeskStack stack = new PipeDeskStack(stage, "PipeDesk", StackProps.builder()
                    .stackName("pipedesk-" + name)
                    .description("PipeDesk " + name + ": HTTP API, functions, queues, tables, alarms")
                    .terminationProtection(settings.retainData())
                    .build(), settings, repositoryRoot);
            Aspects.of(stack).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
            stacks.add(stack);
        }
        return stacks;
    }

    /** The checkout's root: the first directory upwards from {@code start} with {@code functions/} and {@code pom.xml}. */
    public static Path repositoryRoot(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("functions")) && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("infra-cdk"))) {
                return dir;
            }
        }
        throw new IllegalArgumentException("run from inside the PipeDesk checkout (no functions/ folder above "
                + start + ")");
    }
}
