package io.ghostwatch.config;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The libpq URLs providers show, turned into JDBC URLs with their user and password. No database. */
class LibpqUrlTest {

    @Test
    void aProvidersUrlBecomesJdbcWithItsCredentials() {
        LibpqUrl u = LibpqUrl.parse("postgres://postgres.abc:s%40cr%3At@db.example.supabase.co:6543/postgres"
                + "?sslmode=require");

        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.supabase.co:6543/postgres?sslmode=require");
        assertThat(u.user()).contains("postgres.abc");
        assertThat(u.password()).contains("s@cr:t");
    }

    @Test
    void postgresqlSchemeNoPortNoDatabaseNoCredentials() {
        LibpqUrl u = LibpqUrl.parse("postgresql://localhost");

        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/postgres");
        assertThat(u.user()).isEmpty();
        assertThat(u.password()).isEqualTo(Optional.empty());
    }

    @Test
    void ipv6HostsKeepTheirBrackets() {
        assertThat(LibpqUrl.parse("postgres://u@[::1]:5432/app").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/app");
    }

    @Test
    void anUnreadableUrlSaysTheFormItNeeds() {
        assertThatThrownBy(() -> LibpqUrl.parse("postgres://user:p@ss word@host/db"))
                .hasMessageContaining("postgres://user:password@host:5432/database");
        assertThat(LibpqUrl.isLibpq("jdbc:postgresql://h/db")).isFalse();
        assertThat(LibpqUrl.isLibpq("mysql://h/db")).isFalse();
    }
}
