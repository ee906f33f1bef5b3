package dev.pipedesk.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import dev.pipedesk.core.calendar.EntityType;
import dev.pipedesk.core.email.CrmEmail;
import dev.pipedesk.core.email.EmailDirection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Who may unlink a logged e-mail: the sales user who logged it, or any manager or admin. */
class EmailUnlinkRuleTest {
    private static final CrmEmail LOGGED_BY_SALES_1 = new CrmEmail("5b0e6c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e", "<m@x>",
            null, EmailDirection.INBOUND, "a@example.com", List.of("b@example.com"), List.of(), "Hi", null,
            Instant.parse("2026-03-01T14:00:00Z"), EntityType.DEAL, "d-1", "sales-1",
            Instant.parse("2026-03-01T15:00:00Z"), null, null);

    @Test
    void theSalesUserWhoLoggedItMayUnlinkIt() {
        assertThatCode(() -> EmailService.requireMayUnlink(LOGGED_BY_SALES_1,
                new Principal("sales-1", "s1@example.com", Role.SALES))).doesNotThrowAnyException();
    }

    @Test
    void anotherSalesUserMayNot() {
        assertThatThrownBy(() -> EmailService.requireMayUnlink(LOGGED_BY_SALES_1,
                new Principal("sales-2", "s2@example.com", Role.SALES)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.getMessage())
                            .isEqualTo("You may only unlink e-mails you logged.");
                });
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"MANAGER", "ADMIN"})
    void managersAndAdminsMayUnlinkAnyone(Role role) {
        assertThatCode(() -> EmailService.requireMayUnlink(LOGGED_BY_SALES_1, new Principal("boss", null, role)))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"VIEWER", "CLIENT"})
    void rolesBelowSalesMayNotEvenUnlinkWhatCarriesTheirId(Role role) {
        assertThatThrownBy(() -> EmailService.requireMayUnlink(LOGGED_BY_SALES_1, new Principal("sales-1", null, role)))
                .isInstanceOf(ApiException.class);
    }
}
