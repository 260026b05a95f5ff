package io.ghostwatch.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture.Signup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A row the application writes itself after signup (an onboarding step), declared with its grace: users past the
 * grace without it are that contract's missing rows, users within it are not, and a contract that cannot be read
 * says so. Signups are real (supabase_auth_admin); the application's writes are made as it would make them.
 */
class DeclaredContractIT extends AuthServerDatabaseTest {

    private static final String DECLARED = "onboarding=public.onboarding_steps(user_id) after 15m;"
            + " gone=public.no_such_table(user_id)";

    private static JsonNode finding(JsonNode report, String code) {
        for (JsonNode f : report.get("findings")) {
            if (f.get("code").asText().equals(code)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + code + " in " + report.toPrettyString());
    }

    @Test
    void usersPastTheGraceWithoutTheirRowAreMissingAndOnesWithinItAreNot() {
        db.execute("CREATE TABLE public.onboarding_steps (user_id uuid PRIMARY KEY, step text NOT NULL)");
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Signup s = fixture.signup(true);
            assertThat(s.synced()).isTrue();
            earlier.add(s.id());
        }
        db.execute("UPDATE auth.users SET created_at = now() - interval '2 hours' WHERE id IN ('"
                + String.join("','", earlier) + "')");
        // The application onboarded the first of them; its job stopped before the other two.
        db.execute("INSERT INTO public.onboarding_steps VALUES ('" + earlier.get(0) + "', 'welcome')");
        for (int i = 0; i < 2; i++) {
            assertThat(fixture.signup(true).synced()).as("just signed up, within the grace").isTrue();
        }
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS (SELECT 1 FROM"
                + " public.onboarding_steps o WHERE o.user_id = a.id)")).as("four lack the row, two past the grace")
                .isEqualTo(4);

        JsonNode report = Ghostwatch.against(db).env("GHOSTWATCH_CONTRACTS_DECLARED", DECLARED)
                .run("check", "--output", "json").json(0);

        JsonNode onboarding = report.at("/contracts/0");
        assertThat(onboarding.get("name").asText()).as(report.toPrettyString()).isEqualTo("onboarding");
        assertThat(onboarding.get("missing").asLong()).isEqualTo(2);
        assertThat(onboarding.get("graceSeconds").asLong()).isEqualTo(900);
        assertThat(onboarding.get("origin").asText()).isEqualTo("declared");
        List<String> sample = new ArrayList<>();
        onboarding.get("sample").forEach(id -> sample.add(id.asText()));
        assertThat(sample).containsExactlyInAnyOrderElementsOf(earlier.subList(1, 3));
        JsonNode missing = finding(report, "contract_rows_missing");
        assertThat(missing.get("priority").asText()).isEqualTo("P1");
        assertThat(missing.get("summary").asText()).contains("onboarding").contains("2 identities")
                .contains("public.onboarding_steps");
        assertThat(report.at("/snapshot/ghosts/total").asLong()).as("every profile is there").isZero();

        JsonNode gone = report.at("/contracts/1");
        assertThat(gone.get("missing").isNull()).isTrue();
        assertThat(gone.get("unknown").asText()).contains("does not exist");
        assertThat(finding(report, "contract_unchecked").get("priority").asText()).isEqualTo("P2");

        Ghostwatch.Result export = Ghostwatch.against(db).env("GHOSTWATCH_CONTRACTS_DECLARED", DECLARED)
                .run("export", "affected", "--contract", "onboarding");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.stdout().lines().skip(1).map(l -> l.split(",")[0]).toList())
                .as("the same identities as the count, all of them").containsExactlyInAnyOrderElementsOf(
                        earlier.subList(1, 3));
        Ghostwatch.Result unknown = Ghostwatch.against(db).env("GHOSTWATCH_CONTRACTS_DECLARED", DECLARED)
                .run("export", "affected", "--contract", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("no contract named 'nope'").contains("onboarding");

        String before = fixture.checksum();
        Ghostwatch.Result backfill = Ghostwatch.against(db).env("GHOSTWATCH_CONTRACTS_DECLARED", DECLARED)
                .run("fix", "backfill", "--contract", "onboarding");
        assertThat(backfill.exitCode()).as(backfill.toString()).isEqualTo(2);
        assertThat(backfill.stderr()).contains("the application writes the rows of the declared contract onboarding");
        assertThat(fixture.checksum()).isEqualTo(before);
    }

    @Test
    void aDeclarationThatCannotBeReadStopsTheRunNamingTheKeyAndChangesNothing() {
        String before = fixture.checksum();

        Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_CONTRACTS_DECLARED",
                "Onboarding=public.onboarding_steps(user_id)").run("check");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("ghostwatch.contracts.declared").contains("Onboarding");
        assertThat(fixture.checksum()).isEqualTo(before);
    }
}
