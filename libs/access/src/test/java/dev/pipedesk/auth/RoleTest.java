package dev.pipedesk.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RoleTest {

    @ParameterizedTest
    @CsvSource({
            "admin, ADMIN", "manager, MANAGER", "sales, SALES", "viewer, VIEWER", "client, CLIENT",
            "superadmin, ADMIN", "super_admin, ADMIN", "SuperAdmin, ADMIN",
            "analyst, SALES", "new_business, SALES", "newbusiness, SALES", "NEW_BUSINESS, SALES", "Manager, MANAGER"})
    void parsesNamesAndAliasesIgnoringAsciiCase(String raw, Role expected) {
        assertThat(Role.parse(raw)).contains(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"authenticated", "anon", "service_role", "owner", "   ", "admin2", "super admin"})
    void refusesIdentityProviderRolesAndUnknownValues(String raw) {
        assertThat(Role.parse(raw)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"  Manager ", " admin", "admin ", "admin\u0000", "\u0000admin", "admin\n", "\tsales", "viewer\u007f",
            "client\u0085", "\u00a0admin", "ａｄｍｉｎ", "ADMİN", "admın"})
    void refusesValuesThatOnlyLookLikeARole(String raw) {
        assertThat(Role.parse(raw)).isEmpty();
    }

    @Test
    void wireNamesAreLowerCaseAndParseBack() {
        for (Role role : Role.values()) {
            assertThat(role.wire()).isEqualTo(role.name().toLowerCase());
            assertThat(Role.parse(role.wire())).contains(role);
        }
    }

    @Test
    void ranksAdminOverManagerOverSalesOverViewerOverClient() {
        assertThat(Role.ADMIN.atLeast(Role.MANAGER)).isTrue();
        assertThat(Role.MANAGER.atLeast(Role.SALES)).isTrue();
        assertThat(Role.SALES.atLeast(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.atLeast(Role.CLIENT)).isTrue();

        assertThat(Role.MANAGER.atLeast(Role.ADMIN)).isFalse();
        assertThat(Role.SALES.atLeast(Role.MANAGER)).isFalse();
        assertThat(Role.VIEWER.atLeast(Role.SALES)).isFalse();
        assertThat(Role.CLIENT.atLeast(Role.VIEWER)).isFalse();
    }

    @Test
    void everyRoleIsAtLeastItself() {
        for (Role role : Role.values()) {
            assertThat(role.atLeast(role)).isTrue();
        }
    }
}
