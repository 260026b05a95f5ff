package io.ghostwatch.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import java.util.Locale;

/**
 * A test class whose every test gets a fresh database laid out as Supabase's auth server lays its part out
 * ({@link SupabaseFixture#authServerOwnsIdentities()}), dropped afterwards: for incidents that change the schema,
 * roles or settings, which must not leak into the next test.
 */
public abstract class AuthServerDatabaseTest {

    protected TestDatabase db;
    protected SupabaseFixture fixture;

    @BeforeEach
    void createAuthServerDatabase(TestInfo info) {
        String label = info.getTestClass().map(Class::getSimpleName).orElse("test").toLowerCase(Locale.ROOT);
        fixture = SupabaseFixture.install(TestDatabase.create(label)).authServerOwnsIdentities();
        db = fixture.db();
    }

    @AfterEach
    void dropAuthServerDatabase() {
        db.close();
    }
}
