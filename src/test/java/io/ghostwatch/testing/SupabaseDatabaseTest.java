package io.ghostwatch.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

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

    @AfterAll
    static void dropSupabaseDatabase() {
        db.close();
    }
}
