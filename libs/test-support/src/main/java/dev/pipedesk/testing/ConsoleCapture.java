package dev.pipedesk.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Everything printed to {@code System.out} and {@code System.err} while it is installed, still
 * shown on the console as well: for tests that check what a function logs (and that it never
 * logs a secret). {@link #close()} puts the console back.
 */
public final class ConsoleCapture implements AutoCloseable {
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    private final PrintStream originalOut;
    private final PrintStream originalErr;

    private ConsoleCapture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut, copy), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, copy), true, StandardCharsets.UTF_8));
    }

    /** Starts capturing. */
    public static ConsoleCapture install() {
        return new ConsoleCapture();
    }

    /** What was printed since the capture started (or was last reset). */
    public String text() {
        System.out.flush();
        System.err.flush();
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    /** Forgets what was printed so far. */
    public void reset() {
        synchronized (copy) {
            copy.reset();
        }
    }

    @Override
    public void close() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    /** Writes to the real console and to the copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            console.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            console.write(b, off, len);
            synchronized (copy) {
                copy.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            console.flush();
        }
    }
}
