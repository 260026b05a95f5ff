package io.ghostwatch.remediate;

import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step 4 by replaying the sync function, on the Supabase docs' "User Management Starter": profiles in
 * {@code public.profiles}, filled from {@code raw_user_meta_data} by a SECURITY DEFINER function with
 * {@code search_path = ''}; a column mapping cannot write what it writes.
 */
class ReplayBackfillIT extends SupabaseDatabaseTest {

    private static final String STARTER_FUNCTION = """
            CREATE OR REPLACE FUNCTION public.handle_new_profile() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
            BEGIN
                INSERT INTO public.profiles (id, full_name, avatar_url, username)
                VALUES (new.id, new.raw_user_meta_data->>'full_name', new.raw_user_meta_data->>'avatar_url',
                        new.raw_user_meta_data->>'user_name');
                RETURN new;
            END
            $$""";

    @BeforeEach
    void starter() {
        fixture.reset();
        db.execute("DROP SCHEMA IF EXISTS ghostwatch CASCADE",
                "CREATE TABLE public.profiles (id uuid PRIMARY KEY REFERENCES auth.users ON DELETE CASCADE,"
                        + " updated_at timestamptz, username text UNIQUE, full_name text, avatar_url text,"
                        + " website text, CONSTRAINT username_length CHECK (char_length(username) >= 3))",
                STARTER_FUNCTION, "DROP TRIGGER on_auth_user_created ON auth.users",
                "CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users"
                        + " FOR EACH ROW EXECUTE FUNCTION public.handle_new_profile()");
        fixture.users(3, java.time.Duration.ofDays(1)); // healthy signups first
        fixture.triggerState("DISABLE");
        db.execute("INSERT INTO auth.users (id, email, raw_user_meta_data, created_at)"
                + " SELECT gen_random_uuid(), 'ghost' || g || '@example.com', jsonb_build_object('full_name',"
                + " 'Ghost ' || g, 'avatar_url', 'https://avatars.example/' || g || '.png', 'user_name', 'ghost' || g),"
                + " now() - interval '10 minutes' FROM generate_series(1, 5) g");
        fixture.triggerState("ENABLE");
    }

    @AfterEach
    void demo() {
        db.execute("DROP TABLE IF EXISTS public.profiles");
        fixture.reset(); // the demo's trigger on handle_new_user() again
        db.execute("DROP FUNCTION IF EXISTS public.handle_new_profile()");
    }

    private static Ghostwatch ghostwatch() {
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "starter")
                .env("GHOSTWATCH_PROFILE_TABLE", "public.profiles")
                .env("GHOSTWATCH_PROFILE_SOFT_DELETE_COLUMN", "none")
                .env("GHOSTWATCH_TRIGGER_FUNCTION", "public.handle_new_profile");
    }

    private static long ghosts() {
        return db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS"
                + " (SELECT 1 FROM public.profiles p WHERE p.id = a.id)");
    }

    @Test
    void theBackfillWritesWhatTheTriggerWouldHaveWritten() {
        assertThat(ghosts()).as("5 ghosts, and the 3 healthy users' profiles from the starter").isEqualTo(5);

        Result dryRun = ghostwatch().run("fix", "backfill");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.stdout()).contains("would change 5 rows",
                "written by replaying the sync function public.handle_new_profile",
                "trial: the first 5 rows written in a transaction that was rolled back: 5 changed");
        assertThat(ghosts()).isEqualTo(5);

        Result applied = ghostwatch().run("fix", "backfill", "--apply", "--reason", "starter incident");
        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.stdout()).contains("applied: 5 rows changed", "verified");
        assertThat(ghosts()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM public.profiles p JOIN auth.users a ON a.id = p.id"
                + " WHERE p.full_name IS NOT DISTINCT FROM a.raw_user_meta_data->>'full_name'"
                + " AND p.avatar_url IS NOT DISTINCT FROM a.raw_user_meta_data->>'avatar_url'"
                + " AND p.username IS NOT DISTINCT FROM a.raw_user_meta_data->>'user_name'"
                + " AND a.email LIKE 'ghost%'")).as("every backfilled profile as the trigger writes it").isEqualTo(5);
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids")).isEqualTo(5);
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'ghostwatch_replay'")).isZero();
    }

    @Test
    void aMappingThatCannotApplyIsRefusedInTheDryRunNamingTheSetting() {
        Result mapping = ghostwatch().env("GHOSTWATCH_REMEDIATE_BACKFILL_MODE", "mapping").run("fix", "backfill");

        assertThat(mapping.exitCode()).isEqualTo(2);
        assertThat(mapping.stderr()).contains("a trial of the first 5 rows, rolled back, failed",
                "ghostwatch.remediate.backfill-columns", "nothing was changed");
        assertThat(ghosts()).isEqualTo(5);
    }

    @Test
    void aConstraintTheReplayViolatesIsNamedWithItsTableNeverTheRowsValues() {
        db.execute("UPDATE auth.users SET raw_user_meta_data = raw_user_meta_data || '{\"user_name\": \"gh\"}'"
                + " WHERE email = 'ghost3@example.com'");

        Result dryRun = ghostwatch().run("fix", "backfill");

        assertThat(dryRun.exitCode()).isEqualTo(2);
        assertThat(dryRun.stderr()).contains("username_length", "profiles", "1 of those 5 rows violate it")
                .doesNotContain("ghost3", "@example.com", "Failing row");
        assertThat(ghosts()).isEqualTo(5);
    }

    @Test
    void replayIsRefusedWhenTheFunctionFailsEverySignupAndTheMappingIsTheFallback() {
        db.execute("ALTER TABLE public.profiles RENAME TO profiles_old");
        try {
            Result forced = ghostwatch().env("GHOSTWATCH_PROFILE_TABLE", "public.profiles_old")
                    .env("GHOSTWATCH_REMEDIATE_BACKFILL_MODE", "replay").run("fix", "backfill");
            assertThat(forced.exitCode()).isEqualTo(2);
            assertThat(forced.stderr()).contains("backfill-mode=replay", "fails every signup");
        } finally {
            db.execute("ALTER TABLE public.profiles_old RENAME TO profiles");
        }
    }

    @Test
    void aCheckWithTheRunbooksDefaultNamesTheTableTheFunctionWrites() {
        // public.users exists here but the trigger fills public.profiles: every number would be about the wrong table.
        Result check = Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "starter").run("check", "--output", "json");

        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.stdout()).contains("cause_profile_table_elsewhere",
                "ghostwatch.profile.table=public.profiles");
        db.execute("ALTER TABLE public.users RENAME TO users_moved");
        try {
            Result moved = Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "starter").run("check");
            assertThat(moved.exitCode()).isEqualTo(2);
            assertThat(moved.stderr()).contains("table public.users does not exist",
                    "public.handle_new_profile() inserts its profiles into public.profiles",
                    "ghostwatch.profile.table=public.profiles");
        } finally {
            db.execute("ALTER TABLE public.users_moved RENAME TO users");
        }
    }
}
