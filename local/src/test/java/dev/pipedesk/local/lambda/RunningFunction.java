package dev.pipedesk.local.lambda;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A test function in its own JVM for a whole test class, logging to {@code <name>.log} in a
 * folder of the class's own (removed afterwards). Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RunningFunction echo = new RunningFunction(TestFunctions.echo("echo", Duration.ofSeconds(2)));
 * }</pre>
 */
public final class RunningFunction implements BeforeAllCallback, AfterAllCallback {
    private final Function<Path, FunctionSpec> specInFolder;
    private Path folder;
    private FunctionProcess process;

    public RunningFunction(FunctionSpec spec) {
        this(folder -> spec);
    }

    /** For a function whose configuration names files in the folder (e.g. where it records its events). */
    public RunningFunction(Function<Path, FunctionSpec> specInFolder) {
        this.specInFolder = specInFolder;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        folder = Files.createTempDirectory("pipedesk-" + context.getRequiredTestClass().getSimpleName() + "-");
        FunctionSpec spec = specInFolder.apply(folder);
        process = FunctionProcess.start(spec, LogSink.file(spec.name(), folder));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (process != null) {
            process.close();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    public FunctionProcess process() {
        return process;
    }

    /** The class's folder: the function's log, and whatever else its tests write (other logs, files). */
    public Path folder() {
        return folder;
    }

    /** The function's log. */
    public Path log() {
        return folder.resolve(process.name() + ".log");
    }
}
