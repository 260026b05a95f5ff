package io.ghostwatch.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.SupabaseFixture.Signup;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deletes of identities the identity table skips without an error, on a database laid out as Supabase's: each
 * proven first by a delete as the auth server makes it (supabase_auth_admin, its own transaction) that leaves the
 * identity in place. A ghost may then be a user who asked to be deleted: the check says so, and the backfill
 * gives no profile back unreviewed.
 */
class DeleteSkipIT extends AuthServerDatabaseTest {

    /** The auth server's delete of a user (admin deleteUser); returns the rows it deleted. */
    private int deleteUser(String id) throws SQLException {
        try (Connection c = db.connectAs(SupabaseFixture.SIGNUP_ROLE, "");
             PreparedStatement st = c.prepareStatement("DELETE FROM auth.users WHERE id = ?::uuid")) {
            st.setString(1, id);
            return st.executeUpdate();
        }
    }

    private long identities(String id) {
        return db.queryLong("SELECT count(*) FROM auth.users WHERE id = ?::uuid", id);
    }

    private long profiles(String id) {
        return db.queryLong("SELECT count(*) FROM public.users WHERE id = ?::uuid", id);
    }

    private List<String> syncedUsers(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Signup s = fixture.signup(true);
            assertThat(s.synced()).isTrue();
            ids.add(s.id());
        }
        return ids;
    }

    /**
     * The slip NASA-AMMOS/plandev#1631 fixed, on the identity table: a cleanup function run BEFORE DELETE that
     * deletes the profile and ends in RETURN NEW, which is NULL in a delete, so the delete itself does nothing.
     */
    @Test
    void aCleanupTriggerReturningNewSkipsEveryDeleteAndTheBackfillRefusesUnreviewed() throws SQLException {
        db.execute("""
                CREATE FUNCTION public.before_user_deleted() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
                SET search_path = '' AS $$
                BEGIN
                  DELETE FROM public.users WHERE id = OLD.id;
                  RETURN NEW;
                END $$""",
                "CREATE TRIGGER before_user_deleted BEFORE DELETE ON auth.users FOR EACH ROW"
                        + " EXECUTE FUNCTION public.before_user_deleted()");
        List<String> ids = syncedUsers(5);
        for (String id : ids.subList(0, 3)) {
            assertThat(deleteUser(id)).as("the delete reports no row, and no error").isZero();
            assertThat(identities(id)).as("the identity stays, able to log in").isEqualTo(1);
            assertThat(profiles(id)).as("its profile went").isZero();
        }
        String before = fixture.checksum();

        JsonNode report = Ghostwatch.against(db).run("check", "--output", "json").json(0);

        assertThat(report.at("/snapshot/ghosts/total").asLong()).as(report.toPrettyString()).isEqualTo(3);
        assertThat(report.at("/signupPath/deleteSkips/0/by").asText()).isEqualTo("trigger before_user_deleted");
        assertThat(report.at("/signupPath/deleteSkips/0/how").asText()).contains("returns NEW");
        assertThat(report.at("/signupPath/deleteSkips/0/condition").isNull()).isTrue();
        JsonNode finding = finding(report, "deletes_skipped");
        assertThat(finding.get("priority").asText()).isEqualTo("P2");
        assertThat(finding.get("summary").asText()).contains("before_user_deleted").contains("3 ghosts");

        Result refused = Ghostwatch.against(db).run("fix", "backfill");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.stderr()).contains("refused").contains("trigger before_user_deleted")
                .contains("asked to be deleted").contains("--deletes-skipped-ok");
        assertThat(fixture.checksum()).as("nothing written").isEqualTo(before);

        Result reviewed = Ghostwatch.against(db).run("fix", "backfill", "--deletes-skipped-ok");
        assertThat(reviewed.exitCode()).as(reviewed.toString()).isZero();
        assertThat(reviewed.stdout()).contains("would change 3 rows");
    }

    /** One function for every event, as public projects write it: a delete returns OLD and goes through. */
    @Test
    void aSharedFunctionThatReturnsOldForDeletesSkipsNothing() throws SQLException {
        db.execute("""
                CREATE FUNCTION public.on_user_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
                SET search_path = '' AS $$
                BEGIN
                  IF TG_OP = 'DELETE' THEN
                    DELETE FROM public.users WHERE id = OLD.id;
                    RETURN OLD;
                  END IF;
                  RETURN NEW;
                END $$""",
                "CREATE TRIGGER on_user_change BEFORE INSERT OR UPDATE OR DELETE ON auth.users FOR EACH ROW"
                        + " EXECUTE FUNCTION public.on_user_change()");
        List<String> ids = syncedUsers(2);
        assertThat(deleteUser(ids.get(0))).as("the delete goes through").isEqualTo(1);
        assertThat(identities(ids.get(0))).isZero();

        JsonNode report = Ghostwatch.against(db).run("check", "--output", "json").json(0);

        assertThat(report.at("/signupPath/deleteSkips").size()).as(report.toPrettyString()).isZero();
        assertThat(report.toString()).doesNotContain("deletes_skipped");
    }

    /** A rule that turns every delete into nothing: P2 with no ghost standing, since no user can be deleted. */
    @Test
    void aDoInsteadNothingRuleIsAFindingEvenWithoutGhosts() throws SQLException {
        db.execute("CREATE RULE keep_every_user AS ON DELETE TO auth.users DO INSTEAD NOTHING");
        List<String> ids = syncedUsers(1);
        assertThat(deleteUser(ids.get(0))).isZero();
        assertThat(identities(ids.get(0))).isEqualTo(1);
        assertThat(profiles(ids.get(0))).as("no profile went: no ghost").isEqualTo(1);

        JsonNode report = Ghostwatch.against(db).run("check", "--output", "json").json(0);

        assertThat(report.at("/snapshot/ghosts/total").asLong()).isZero();
        assertThat(report.at("/signupPath/deleteSkips/0/by").asText()).isEqualTo("rule keep_every_user");
        assertThat(report.at("/signupPath/deleteSkips/0/how").asText()).isEqualTo("DO INSTEAD NOTHING");
        assertThat(finding(report, "deletes_skipped").get("priority").asText()).isEqualTo("P2");
    }

    private static JsonNode finding(JsonNode report, String code) {
        for (JsonNode f : report.get("findings")) {
            if (f.get("code").asText().equals(code)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + code + " in " + report.toPrettyString());
    }
}
