package io.ghostwatch.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A test class with a fresh database of its own holding the Supabase-like fixture, dropped afterwards. */
public abstract class SupabaseDatabaseTest {

    protected static TestDatabase db;
    protected static SupabaseFixture fixture;

    @BeforeAll
    static void createSupabaseDatabase(TestInfo info) {
        String label = info.getTestClass().map(Class::getSimpleName).orElse("test").toLowerCase(Locale.ROOT);
        db = TestDatabase.create(label);
        fixture = SupabaseFixture.install(db);
    }

    /** Server-wide roles a test class made: dropped after its database, so nothing is left on the server. */
    private static final List<String> ROLES = new ArrayList<>();

    /** Registers a role this class creates; returns its name. */
    protected static String role(String name) {
        if (!ROLES.contains(name)) {
            ROLES.add(name);
        }
        return name;
    }

    @AfterAll
    static void dropSupabaseDatabase() {
        db.close();
        if (!ROLES.isEmpty()) {
            TestDatabase.dropRoles(ROLES.toArray(String[]::new));
            ROLES.clear();
        }
    }
}
