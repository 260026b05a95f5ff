package io.ghostwatch.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgArraysTest {

    @Test
    void everyElementIsQuotedSoCommasBracesAndTheWordNullStayText() {
        assertThat(PgArrays.literal(List.of("a,b", "{x}", "NULL", "say \"hi\"", "back\\slash")))
                .isEqualTo("{\"a,b\",\"{x}\",\"NULL\",\"say \\\"hi\\\"\",\"back\\\\slash\"}");
        assertThat(PgArrays.literal(List.of())).isEqualTo("{}");
    }

    @Test
    void aNullElementIsRefused() {
        assertThatThrownBy(() -> PgArrays.literal(java.util.Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
