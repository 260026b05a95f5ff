package io.ghostwatch.testing;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every other integration test: the run leaves no role and no test database on the server it used,
 * so a developer's own databases there are judged as before it (a left supabase_auth_admin would be taken for
 * their signup role).
 */
@RunsLast
class SuiteLeavesNothingIT {

    @Test
    void theRunLeavesNoRoleAndNoDatabaseOnTheServer() throws SQLException {
        TestServer.get();

        assertThat(SuiteLeftovers.dropRolesMade()).as("roles the run made that could not be dropped").isEmpty();
        assertThat(SuiteLeftovers.rolesMade()).as("roles the run made, left on the server").isEmpty();
        assertThat(SuiteLeftovers.databasesLeft()).as("test databases left on the server").isEmpty();
    }
}
