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

    @Test
    void literalsCastToANamedTypeAreReadOutsideCommentsWithTheirValue() {
        String body = """
                BEGIN
                  -- 'commented'::app_role is not code
                  INSERT INTO public.user_roles (user_id, role) VALUES (NEW.id, 'member'::app_role);
                  INSERT INTO public.audit (what) VALUES ('it''s'::public."Kind");
                  PERFORM E'escaped'::app_role, 'plain text', 'x' :: int;
                  RETURN NEW;
                END""";

        assertThat(SqlText.literalCasts(body)).containsExactly(
                new SqlText.LiteralCast("member", java.util.Optional.empty(), "app_role"),
                new SqlText.LiteralCast("it's", java.util.Optional.of("public"), "Kind"),
                new SqlText.LiteralCast("x", java.util.Optional.empty(), "int"));
    }
}
