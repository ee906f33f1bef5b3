package dev.pipedesk.auth;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/security.md's route table restates {@link ApiRoute}'s rules; it must say what the code does. */
class SecurityDocRouteTableTest {
    /** {@code | `GET /api/x` | viewer (...) | yes, redacted |} */
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z]+ /[^`]*)` \\| ([a-z]+)[^|]* \\| ([a-z]+)[^|]*\\|$");

    /** One row as read: route key, minimum role, whether a client is admitted (redacted). */
    private record Row(String routeKey, String minimum, boolean client) {
    }

    @Test
    void securityMdListsEveryDeployedRouteWithItsMinimumRoleAndClientAccess() throws IOException {
        List<Row> documented = new ArrayList<>();
        for (String line : Files.readAllLines(securityDoc())) {
            Matcher row = ROW.matcher(line.trim());
            if (row.matches()) {
                documented.add(new Row(row.group(1), row.group(2), row.group(3).equals("yes")));
            }
        }

        List<Row> fromTable = Arrays.stream(ApiRoute.values())
                .<Row>mapMulti((route, rows) -> {
                    if (route.servedBy() instanceof ApiRoute.ServedBy.Lambda lambda) {
                        rows.accept(new Row(route.routeKey(), lambda.access().minimum().wire(),
                                lambda.access().clientReadRedacted()));
                    }
                })
                .toList();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(fromTable);
    }

    private static Path securityDoc() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs").resolve("security.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException("no docs/security.md above " + Path.of("").toAbsolutePath());
    }
}
