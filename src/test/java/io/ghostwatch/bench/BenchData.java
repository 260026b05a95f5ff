package io.ghostwatch.bench;

import io.ghostwatch.testing.TestDatabase;

import java.util.Locale;

/** The benchmarks' data: a Supabase-like database of a given size with ghosts and orphans. */
public final class BenchData {

    private BenchData() {
    }

    /** Loads identities with profiles, then removes {@code ghosts} profiles and {@code orphans} identities. */
    public static void load(TestDatabase db, int identities, int ghosts, int orphans, int softDeleted) {
        System.err.printf(Locale.ROOT, "creating the Supabase-like schema in %s%n", db.name());
        db.runResource("demo/schema.sql");
        System.err.printf(Locale.ROOT, "loading %,d identities and their profiles...%n", identities);
        // Bulk path: the trigger would add minutes of per-row plpgsql; profiles are copied in one statement.
        db.execute("ALTER TABLE auth.users DISABLE TRIGGER on_auth_user_created",
                "INSERT INTO auth.users (id, email, email_confirmed_at, created_at, updated_at)"
                        + " SELECT gen_random_uuid(), 'bench' || g || '@example.com', now(),"
                        + " now() - (g % 2000) * interval '1 hour', now()"
                        + " FROM generate_series(1, " + identities + ") AS g",
                "INSERT INTO public.users (id, email, email_verified, created_at, updated_at)"
                        + " SELECT id, email, true, created_at, now() FROM auth.users",
                "ALTER TABLE auth.users ENABLE TRIGGER on_auth_user_created");
        System.err.printf(Locale.ROOT, "making %,d ghosts and %,d orphans...%n", ghosts, orphans);
        db.execute("DELETE FROM public.users WHERE id IN (SELECT id FROM auth.users ORDER BY md5(id::text) LIMIT "
                        + ghosts + ")",
                "CREATE TEMP TABLE doomed AS SELECT a.id FROM auth.users a JOIN public.users p USING (id)"
                        + " ORDER BY md5(a.id::text || 'o') LIMIT " + orphans + ";"
                        + " DELETE FROM auth.users WHERE id IN (SELECT id FROM doomed);"
                        + " UPDATE public.users SET deleted_at = now()"
                        + " WHERE id IN (SELECT id FROM doomed ORDER BY id LIMIT " + softDeleted + ")");
        System.err.println("vacuum analyze (index-only scans need the visibility map)...");
        db.execute("VACUUM ANALYZE auth.users", "VACUUM ANALYZE public.users");
    }

}
