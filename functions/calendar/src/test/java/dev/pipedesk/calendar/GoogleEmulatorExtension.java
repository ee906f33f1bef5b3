package dev.pipedesk.calendar;

import dev.pipedesk.emulator.calendar.EmulatorOptions;
import dev.pipedesk.emulator.calendar.GoogleCalendarEmulator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Google Calendar emulator (default options), started once for a test class. Register it on
 * a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final GoogleEmulatorExtension google = new GoogleEmulatorExtension();
 * }</pre>
 */
final class GoogleEmulatorExtension implements BeforeAllCallback, AfterAllCallback {
    private GoogleCalendarEmulator emulator;

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator = GoogleCalendarEmulator.start(EmulatorOptions.defaults());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        emulator.close();
    }

    GoogleCalendarEmulator emulator() {
        return emulator;
    }
}
