package io.ghostwatch.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Transaction control at the top level of a migration file, told from function bodies, strings and comments. */
class SqlTextTest {

    @Test
    void topLevelTransactionControlIsFound() {
        assertThat(SqlText.transactionControl("BEGIN; CREATE TABLE t (id int); COMMIT;")).hasValue("BEGIN");
        assertThat(SqlText.transactionControl("CREATE TABLE t (id int);\n  commit ;")).hasValue("COMMIT");
        assertThat(SqlText.transactionControl("START TRANSACTION; SELECT 1")).hasValue("START");
        assertThat(SqlText.transactionControl("SELECT 1; ROLLBACK")).hasValue("ROLLBACK");
    }

    @Test
    void functionBodiesStringsAndCommentsAreNotStatements() {
        String migration = """
                -- BEGIN; (a comment)
                /* COMMIT; */
                CREATE OR REPLACE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO public.users (id) VALUES (NEW.id);
                    RETURN NEW;
                END
                $$;
                DO $body$ BEGIN PERFORM 1; END $body$;
                COMMENT ON FUNCTION public.f() IS 'BEGIN; COMMIT;';
                """;

        assertThat(SqlText.transactionControl(migration)).isEmpty();
    }
}
