package io.ghostwatch.remediate;

import io.ghostwatch.sql.Identifier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backfill mapping's grammar, for the profile (its id column required) and for a contract's table (keyed). */
class ColumnMappingTest {

    private static final Identifier ID = Identifier.of("id");

    @Test
    void aProfileMappingMustFillTheIdColumn() {
        assertThatThrownBy(() -> ColumnMapping.parse("email=email", ID, ID))
                .hasMessageContaining("must fill the profile's id column (id)");
        assertThat(ColumnMapping.parse("id=id, email=email", ID, ID).targetList()).isEqualTo("\"id\", \"email\"");
    }

    @Test
    void aContractsMappingGetsTheKeyWhetherOrNotItNamesIt() {
        ColumnMapping added = ColumnMapping.keyed("created=now, confirmed=notnull:email_confirmed_at",
                Identifier.of("user_id"), ID);
        assertThat(added.targetList()).isEqualTo("\"user_id\", \"created\", \"confirmed\"");
        assertThat(added.selectList()).isEqualTo("i.\"id\", now(), (i.\"email_confirmed_at\" IS NOT NULL)");
        assertThat(ColumnMapping.keyed("user_id=whatever", Identifier.of("user_id"), ID).selectList())
                .as("the key is always the identity's id").isEqualTo("i.\"id\"");
        assertThatThrownBy(() -> ColumnMapping.keyed("x=1; DROP TABLE t", Identifier.of("user_id"), ID))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
