package io.ghostwatch.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second table the signup function writes under a condition the path can state (public projects' wallet or
 * credits row, skipped for anonymous guests): counted identity by identity when asked to, guests left out by the
 * path's own condition, a row deleted since (a refund job's cleanup) named with its identity. Signups are real
 * (supabase_auth_admin), guests sign in as the auth server inserts them.
 */
class DiscoveredContractIT extends AuthServerDatabaseTest {

    private JsonNode check(String discovered) {
        return Ghostwatch.against(db).env("GHOSTWATCH_CONTRACTS_DISCOVERED", discovered)
                .run("check", "--output", "json").json(0);
    }

    @Test
    void aConditionalSecondTableIsCountedWhenAskedGuestsLeftOutByItsConditionAndADeletedRowNamed() {
        db.execute("CREATE TABLE public.wallets (user_id uuid PRIMARY KEY, credits int NOT NULL DEFAULT 10)",
                "CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN"
                        + " IF NEW.is_anonymous THEN RETURN NEW; END IF;"
                        + " INSERT INTO public.users (id, email) VALUES (NEW.id, NEW.email);"
                        + " INSERT INTO public.wallets (user_id) VALUES (NEW.id);"
                        + " RETURN NEW; END $$");
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SupabaseFixture.Signup s = fixture.signup(true);
            assertThat(s.synced()).isTrue();
            users.add(s.id());
        }
        fixture.guestSignIn();
        fixture.guestSignIn();
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS (SELECT 1 FROM public.wallets w"
                + " WHERE w.user_id = a.id)")).as("the guests have no wallet, by design").isEqualTo(2);

        JsonNode byDefault = check("unconditional");
        assertThat(byDefault.get("contracts")).as("a conditional table is watched by its rate by default")
                .isEmpty();
        assertThat(byDefault.get("priority").asText()).as(byDefault.toPrettyString()).isEqualTo("OK");

        JsonNode counted = check("count");
        JsonNode wallets = counted.at("/contracts/0");
        assertThat(wallets.get("table").asText()).as(counted.toPrettyString()).isEqualTo("public.wallets");
        assertThat(wallets.get("condition").asText()).contains("is_anonymous");
        assertThat(wallets.get("missing").asLong()).as("the guests are left out by the path's condition").isZero();
        assertThat(counted.get("priority").asText()).isEqualTo("OK");

        db.execute("DELETE FROM public.wallets WHERE user_id = '" + users.get(1) + "'");
        JsonNode incident = check("count");

        wallets = incident.at("/contracts/0");
        assertThat(wallets.get("missing").asLong()).as(incident.toPrettyString()).isEqualTo(1);
        assertThat(wallets.get("carried").asBoolean()).as("a row was deleted: counted again").isFalse();
        assertThat(wallets.get("sample").get(0).asText()).isEqualTo(users.get(1));
        assertThat(incident.get("priority").asText()).isEqualTo("P1");
        Ghostwatch.Result table = Ghostwatch.against(db).env("GHOSTWATCH_CONTRACTS_DISCOVERED", "count")
                .run("check");
        assertThat(table.stdout()).as(table.toString()).contains("Contracts besides the profile's:")
                .contains("public.wallets (signup path): public.wallets keyed by user_id where")
                .contains("- 1 missing");

        Ghostwatch.Result export = Ghostwatch.against(db).run("export", "affected", "--contract", "public.wallets");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.stdout().lines().skip(1).map(l -> l.split(",")[0]).toList()).containsExactly(users.get(1));

        // A hard delete the wallets table does not follow (no foreign key): its row stays, naming no identity.
        db.execute("DELETE FROM auth.users WHERE id = '" + users.get(2) + "'");
        assertThat(db.queryLong("SELECT count(*) FROM public.wallets WHERE user_id = '" + users.get(2) + "'"))
                .as("the incident is real: the wallet outlived its user").isEqualTo(1);
        JsonNode orphaned = check("count");
        assertThat(orphaned.at("/contracts/0/orphans").asLong()).as(orphaned.toPrettyString()).isEqualTo(1);
        assertThat(orphaned.at("/contracts/0/orphanSample/0").asText()).isEqualTo(users.get(2));
        JsonNode finding = io.ghostwatch.testing.Reports.finding(orphaned, "contract_orphans");
        assertThat(finding).as(orphaned.toPrettyString()).isNotNull();
        assertThat(finding.get("priority").asText()).isEqualTo("P2");
    }
}
