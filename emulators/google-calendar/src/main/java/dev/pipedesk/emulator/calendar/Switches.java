package dev.pipedesk.emulator.calendar;

/** The behaviour switches that tests may flip while the emulator runs. */
final class Switches {
    private final EmulatorOptions initial;
    volatile boolean meetRequiresDelegation;
    volatile boolean attendeesRequireDelegation;
    volatile boolean forbidWritesToCancelledEvents;
    volatile boolean rejectReusedDeletedIds;
    volatile boolean minimalTombstones;

    Switches(EmulatorOptions options) {
        this.initial = options;
        reset();
    }

    void reset() {
        meetRequiresDelegation = initial.meetRequiresDelegation();
        attendeesRequireDelegation = initial.attendeesRequireDelegation();
        forbidWritesToCancelledEvents = initial.forbidWritesToCancelledEvents();
        rejectReusedDeletedIds = initial.rejectReusedDeletedIds();
        minimalTombstones = initial.minimalTombstones();
    }
}
