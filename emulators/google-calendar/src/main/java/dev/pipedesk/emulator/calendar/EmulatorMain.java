package dev.pipedesk.emulator.calendar;

import dev.pipedesk.core.Env;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs the emulator stand-alone. Configuration from environment variables, overridden by
 * {@code NAME=value} arguments: PORT (default 0 = free port), ALLOW_HTTP_WEBHOOKS, and the other
 * names of {@link EmulatorOptions#fromEnv}. Prints the root URL on stdout.
 */
public final class EmulatorMain {

    private EmulatorMain() {
    }

    public static void main(String[] args) {
        Map<String, String> values = new HashMap<>(System.getenv());
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("Ignoring argument '" + arg + "': expected NAME=value, e.g. PORT=8085");
                continue;
            }
            values.put(arg.substring(0, eq).replaceFirst("^--", "").toUpperCase().replace('-', '_'),
                    arg.substring(eq + 1));
        }
        EmulatorOptions options = EmulatorOptions.fromEnv(Env.of(values::get, EmulatorOptions.VARIABLES));
        GoogleCalendarEmulator emulator = GoogleCalendarEmulator.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "calendar-emulator-shutdown"));
        System.out.println(emulator.rootUrl());
        System.out.flush();
    }
}
