package dev.pipedesk.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipedesk.auth.Principal;
import dev.pipedesk.auth.Role;
import dev.pipedesk.core.ApiException;
import dev.pipedesk.core.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TimelineRoutesTest {

    @ParameterizedTest
    @EnumSource(Role.class)
    void everyoneMayReadTheirOwnTrail(Role role) {
        assertThatCode(() -> TimelineRoutes.requireAdminOrSelf(new Principal("u-1", null, role), "u-1"))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = "ADMIN", mode = EnumSource.Mode.EXCLUDE)
    void onlyAdminsReadSomeoneElsesTrail(Role role) {
        assertThatThrownBy(() -> TimelineRoutes.requireAdminOrSelf(new Principal("u-1", null, role), "u-2"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("You may only read your own audit trail.");
                });
        assertThatCode(() -> TimelineRoutes.requireAdminOrSelf(new Principal("boss", null, Role.ADMIN), "u-2"))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = "ADMIN", mode = EnumSource.Mode.EXCLUDE)
    void userIdsAreComparedExactly(Role role) {
        assertThatThrownBy(() -> TimelineRoutes.requireAdminOrSelf(new Principal("u-1", null, role), "U-1"))
                .isInstanceOf(ApiException.class);
    }
}
