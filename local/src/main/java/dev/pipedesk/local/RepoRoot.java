package dev.pipedesk.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the PipeDesk checkout: the nearest directory holding {@code functions/} and {@code pom.xml}. */
public final class RepoRoot {
    private RepoRoot() {
    }

    /** The checkout at or above {@code start}, or empty when {@code start} is outside one. */
    public static Optional<Path> find(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("functions")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    static Path locate(Path start) {
        return find(start).orElseThrow(() -> new LocalStackException("Cannot find the PipeDesk checkout from "
                + start.toAbsolutePath()
                + " (looked for a directory with functions/ and pom.xml). Run the local stack from inside the repository."));
    }

    static Path locate() {
        return locate(Path.of(System.getProperty("user.dir")));
    }
}
