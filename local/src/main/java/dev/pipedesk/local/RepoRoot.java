package dev.pipedesk.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the PipeDesk checkout: the nearest directory holding {@code functions/} and {@code pom.xml}. */
final class RepoRoot {
    private RepoRoot() {
    }

    static Path locate(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("functions")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new LocalStackException("Cannot find the PipeDesk checkout from " + start.toAbsolutePath()
                + " (looked for a directory with functions/ and pom.xml). Run the local stack from inside the repository.");
    }

    static Path locate() {
        return locate(Path.of(System.getProperty("user.dir")));
    }
}
