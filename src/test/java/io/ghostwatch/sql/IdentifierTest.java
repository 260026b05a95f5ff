package io.ghostwatch.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentifierTest {

    @Test
    void plainIdentifiersAreAcceptedAndAlwaysQuoted() {
        assertThat(Identifier.of("on_auth_user_created").quoted()).isEqualTo("\"on_auth_user_created\"");
        assertThat(Identifier.of("Users$1").quoted()).isEqualTo("\"Users$1\"");
        assertThat(QualifiedName.parse("auth.users").quoted()).isEqualTo("\"auth\".\"users\"");
        assertThat(QualifiedName.parse(" public.users ").toString()).isEqualTo("public.users");
    }

    @ParameterizedTest
    @ValueSource(strings = {"users; drop table x", "users\"--", "1users", "", "a b", "users)", "ü"})
    void anythingElseIsRefused(String raw) {
        assertThatThrownBy(() -> Identifier.of(raw)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLengthLimitIsPostgresOwn() {
        assertThat(Identifier.of("a".repeat(63)).name()).hasSize(63);
        assertThatThrownBy(() -> Identifier.of("a".repeat(64))).hasMessageContaining("63-character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"users", "a.b.c", "auth.", ".users", "auth.users; drop table x"})
    void tableNamesMustBeSchemaQualifiedPlainNames(String raw) {
        assertThatThrownBy(() -> QualifiedName.parse(raw)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void catalogNamesArePrintedQuotedWithQuotesDoubled() {
        assertThat(Sql.quoteIdent("my \"odd\" db")).isEqualTo("\"my \"\"odd\"\" db\"");
    }
}
