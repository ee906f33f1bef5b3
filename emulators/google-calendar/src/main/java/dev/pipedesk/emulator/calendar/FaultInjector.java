package dev.pipedesk.emulator.calendar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Faults for the next N matching calls: an error instead of processing, or a dropped response. */
final class FaultInjector {

    /** @param retryAfter sent as {@code Retry-After} (whole seconds) when not null */
    record InjectedFailure(int status, String reason, String message, Duration retryAfter) {
    }

    private static final class Rule {
        final CallMatcher matcher;
        final InjectedFailure failure;
        int remaining;

        Rule(CallMatcher matcher, InjectedFailure failure, int remaining) {
            this.matcher = matcher;
            this.failure = failure;
            this.remaining = remaining;
        }
    }

    private final List<Rule> failures = new ArrayList<>();
    private final List<Rule> drops = new ArrayList<>();
    private int authErrors;

    synchronized void failNext(int count, CallMatcher matcher, InjectedFailure failure) {
        if (count > 0) {
            failures.add(new Rule(matcher, failure, count));
        }
    }

    synchronized void dropNext(int count, CallMatcher matcher) {
        if (count > 0) {
            drops.add(new Rule(matcher, null, count));
        }
    }

    synchronized void failNextAuth(int count) {
        authErrors = Math.max(0, count);
    }

    /** The failure to answer instead of processing this call, consuming one use of its rule. */
    synchronized Optional<InjectedFailure> takeFailure(String method, String path) {
        return take(failures, method, path).map(rule -> rule.failure);
    }

    /** Whether to process this call but drop its response, consuming one use of the rule. */
    synchronized boolean takeDrop(String method, String path) {
        return take(drops, method, path).isPresent();
    }

    synchronized boolean takeAuthError() {
        if (authErrors > 0) {
            authErrors--;
            return true;
        }
        return false;
    }

    synchronized void clear() {
        failures.clear();
        drops.clear();
        authErrors = 0;
    }

    private static Optional<Rule> take(List<Rule> rules, String method, String path) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule rule = it.next();
            if (rule.matcher.matches(method, path)) {
                if (--rule.remaining <= 0) {
                    it.remove();
                }
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
