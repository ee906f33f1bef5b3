package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.core.RequestDeadline;
import dev.pipedesk.localaws.TestClock;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The pool under a request's deadline, against a stand-in pool that records what is done to its connections. */
class DeadlineBoundDataSourceTest {
    private static final Instant START = Instant.parse("2030-01-15T09:00:00Z");
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(3);

    private final TestClock clock = new TestClock(START);
    /** Each connection handed out: the network timeouts set on it, and -1 once it was closed. */
    private final List<List<Integer>> connections = new ArrayList<>();
    private final DeadlineBoundDataSource dataSource = new DeadlineBoundDataSource(pool(), STATEMENT_TIMEOUT, clock);

    private DataSource pool() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    List<Integer> record = new ArrayList<>();
                    connections.add(record);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (connection, call, callArgs) -> {
                                switch (call.getName()) {
                                    case "setNetworkTimeout" -> record.add((Integer) callArgs[1]);
                                    case "close" -> record.add(-1);
                                    default -> throw new UnsupportedOperationException(call.getName());
                                }
                                return null;
                            });
                });
    }

    private Connection takeWithin(Duration left) throws SQLException {
        return RequestDeadline.callWithin(clock.instant().plus(left), () -> {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void withTimeToSpareEachRoundTripWaitsAtMostTheStatementTimeout() throws SQLException {
        takeWithin(Duration.ofSeconds(20));

        assertThat(connections).containsExactly(List.of(3000));
    }

    @Test
    void nearTheDeadlineEachRoundTripWaitsAtMostTheTimeLeft() throws SQLException {
        takeWithin(Duration.ofMillis(1200));

        assertThat(connections).containsExactly(List.of(1200));
    }

    @Test
    void noConnectionIsTakenOnceTheDeadlineHasPassed() {
        assertThatThrownBy(() -> takeWithin(Duration.ZERO)).hasCauseInstanceOf(SQLTimeoutException.class);

        assertThat(connections).isEmpty();
    }

    @Test
    void outsideARequestConnectionsAreAsThePoolMakesThem() throws SQLException {
        dataSource.getConnection();

        assertThat(connections).containsExactly(List.of());
    }
}
