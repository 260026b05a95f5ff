package io.ghostwatch.snapshot;

import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.QualifiedName;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The snapshot against a real PostgreSQL: counts, age boundaries, trigger states and DESIGN.md's traps. */
class SnapshotReaderTest extends SupabaseDatabaseTest {

    private static final SnapshotRequest REQUEST = new SnapshotRequest(Duration.ofHours(24), Duration.ofHours(1),
            20, Duration.ofSeconds(30), Duration.ofSeconds(2));


    @BeforeEach
    void reset() {
        fixture.reset();
    }

    private Snapshot read(TargetSchema schema) throws SQLException {
        try (Connection c = db.connect()) {
            return new SnapshotReader(schema).read(c, REQUEST);
        }
    }

    private Snapshot read() throws SQLException {
        return read(TargetSchema.supabaseDefaults());
    }

    @Test
    void healthyDatabaseHasNoGhostsNoOrphansAndAFiringTrigger() throws SQLException {
        fixture.users(25, Duration.ofDays(3));

        Snapshot s = read();

        assertThat(s.identities()).isEqualTo(25);
        assertThat(s.profiles()).isEqualTo(25);
        assertThat(s.parityDelta()).isZero();
        assertThat(s.ghosts().total()).isZero();
        assertThat(s.ghosts().sample()).isEmpty();
        assertThat(s.orphans().total()).isZero();
        assertThat(s.trigger().tgenabled()).contains("O");
        assertThat(s.trigger().fires()).isTrue();
        assertThat(s.trigger().function()).contains("public.handle_new_user");
        assertThat(s.trigger().configuredFunctionExists()).isTrue();
    }

    @Test
    void ghostAgesAreSplitAtOldAfterAndRecentWindow() throws SQLException {
        fixture.users(10, Duration.ofDays(1));
        fixture.ghosts(2, Duration.ofMinutes(10));                       // recent
        fixture.ghosts(3, Duration.ofHours(24).minusMinutes(1));          // just under 24h: not old
        fixture.ghosts(4, Duration.ofHours(24).plusMinutes(1));           // just over 24h: old

        Snapshot s = read();

        assertThat(s.ghosts().total()).isEqualTo(9);
        assertThat(s.ghosts().recent()).isEqualTo(2);
        assertThat(s.ghosts().old()).isEqualTo(4);
        assertThat(s.ghosts().withoutCreatedAt()).isZero();
        assertThat(s.ghosts().oldestAge(s.databaseTime()))
                .isBetween(Duration.ofHours(24), Duration.ofHours(24).plusMinutes(2));
        assertThat(s.identities()).isEqualTo(19);
        assertThat(s.profiles()).isEqualTo(10);
        assertThat(s.parityDelta()).isEqualTo(9);
    }

    @Test
    void theInsertCountersMoveWithSignups() throws SQLException {
        InsertCounters before = read().inserts().orElseThrow();

        fixture.users(3, Duration.ofMinutes(1));
        fixture.ghosts(2, Duration.ofMinutes(1));

        // The server publishes table statistics about once a second.
        InsertCounters after = io.ghostwatch.testing.Eventually.await("the insert counters to move",
                Duration.ofSeconds(30), () -> {
                    try {
                        return read().inserts().orElseThrow();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }, c -> c.identity() >= before.identity() + 5);
        assertThat(after.identity() - before.identity()).isEqualTo(5);
        assertThat(after.profile() - before.profile()).isEqualTo(3);
    }

    @Test
    void ghostWithoutCreatedAtCountsAndIsOld() throws SQLException {
        fixture.ghostsWithoutCreatedAt(1);

        Snapshot s = read();

        assertThat(s.ghosts().total()).isEqualTo(1);
        assertThat(s.ghosts().old()).isEqualTo(1);
        assertThat(s.ghosts().withoutCreatedAt()).isEqualTo(1);
        assertThat(s.ghosts().oldestCreatedAt()).isEmpty();
        assertThat(s.ghosts().sample()).singleElement()
                .satisfies(row -> assertThat(row.createdAt()).isEmpty());
    }

    @Test
    void sampleIsBoundedNewestFirstAndCarriesNoEmail() throws SQLException {
        fixture.ghosts(30, Duration.ofHours(2));
        fixture.ghosts(1, Duration.ofMinutes(1));

        Snapshot s = read();

        assertThat(s.ghosts().sample()).hasSize(20);
        String newest = db.queryString("SELECT id::text FROM auth.users ORDER BY created_at DESC LIMIT 1");
        assertThat(s.ghosts().sample().get(0).id()).isEqualTo(newest);
        assertThat(s.ghosts().sample()).allSatisfy(row -> assertThat(row.id()).doesNotContain("@"));
    }

    @Test
    void softDeletedOrphansAreHandledNotOrphaned() throws SQLException {
        fixture.users(5, Duration.ofDays(2));
        fixture.orphans(3, false);
        fixture.orphans(2, true);

        Snapshot s = read();

        assertThat(s.orphans().unhandled()).isEqualTo(3);
        assertThat(s.orphans().softDeleted()).isEqualTo(2);
        assertThat(s.ghosts().total()).isZero();
        assertThat(s.parityDelta()).isEqualTo(-5);
    }

    @Test
    void withoutSoftDeleteColumnEveryOrphanCounts() throws SQLException {
        fixture.orphans(2, false);
        fixture.orphans(1, true);
        TargetSchema d = TargetSchema.supabaseDefaults();
        TargetSchema noSoftDelete = new TargetSchema(d.identityTable(), d.identityId(), d.identityCreatedAt(),
                d.anonymousColumn(), d.profileTable(), d.profileId(), Optional.empty(), d.triggerName(),
                d.triggerFunction(), d.signupRole());

        assertThat(read(noSoftDelete).orphans().unhandled()).isEqualTo(3);
    }

    @Test
    void anonymousIdentitiesCountUnlessConfiguredNotToHaveProfiles() throws SQLException {
        fixture.anonymousGhosts(2);
        fixture.ghosts(1, Duration.ofMinutes(5));
        TargetSchema d = TargetSchema.supabaseDefaults();
        TargetSchema anonymousExempt = new TargetSchema(d.identityTable(), d.identityId(), d.identityCreatedAt(),
                Optional.of(Identifier.of("is_anonymous")), d.profileTable(), d.profileId(), d.softDeleteColumn(),
                d.triggerName(), d.triggerFunction(), d.signupRole());

        assertThat(read().ghosts().total()).isEqualTo(3);
        Snapshot exempt = read(anonymousExempt);
        assertThat(exempt.ghosts().total()).isEqualTo(1);
        assertThat(exempt.ghosts().anonymousExcluded()).isEqualTo(2);
    }

    @Test
    void triggerStatesAreReadFromTheCatalog() throws SQLException {
        fixture.triggerState("DISABLE");
        assertThat(read().trigger().tgenabled()).contains("D");
        assertThat(read().trigger().fires()).isFalse();

        fixture.triggerState("ENABLE REPLICA");
        assertThat(read().trigger().tgenabled()).contains("R");
        assertThat(read().trigger().fires()).isFalse();

        fixture.triggerState("ENABLE ALWAYS");
        assertThat(read().trigger().tgenabled()).contains("A");
        assertThat(read().trigger().fires()).isTrue();

        fixture.dropTrigger();
        assertThat(read().trigger().present()).isFalse();
        assertThat(read().trigger().configuredFunctionExists()).isTrue();
    }

    @Test
    void sameNamedTriggerOnAnotherTableIsNotTheSyncTrigger() throws SQLException {
        fixture.dropTrigger();
        fixture.sameNameTriggerOnOtherTable();

        TriggerState t = read().trigger();

        assertThat(t.present()).isFalse();
        assertThat(t.sameNameElsewhere()).containsExactly("public.audit_log");
    }

    @Test
    void persistedReplicaRoleForTheDatabaseSilencesAnOriginTrigger() throws SQLException {
        fixture.replicaForDatabase();

        TriggerState t = read().trigger();

        assertThat(t.tgenabled()).contains("O");
        assertThat(t.fires()).isFalse();
        assertThat(t.replicaOverrides()).singleElement().satisfies(o -> {
            assertThat(o.scope()).isEqualTo("database " + db.name());
            assertThat(o.undo()).isEqualTo("ALTER DATABASE \"" + db.name() + "\" RESET session_replication_role;");
        });
    }

    @Test
    void persistedReplicaRoleForTheSignupRoleSilencesAnOriginTriggerButNotAnAlwaysOne() throws SQLException {
        fixture.replicaForSignupRole();

        TriggerState origin = read().trigger();
        assertThat(origin.fires()).isFalse();
        assertThat(origin.replicaOverrides()).singleElement()
                .satisfies(o -> assertThat(o.undo()).startsWith("ALTER ROLE \"supabase_auth_admin\" IN DATABASE"));

        fixture.triggerState("ENABLE ALWAYS");
        assertThat(read().trigger().fires()).isTrue();
    }

    @Test
    void replicaSettingOfAnUnrelatedRoleIsIgnored() throws SQLException {
        role("gw_unrelated");
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gw_unrelated') THEN"
                + " CREATE ROLE gw_unrelated; END IF; END $$",
                "ALTER ROLE gw_unrelated IN DATABASE " + db.name() + " SET session_replication_role = replica");
        try {
            assertThat(read().trigger().fires()).isTrue();
        } finally {
            db.execute("ALTER ROLE gw_unrelated IN DATABASE " + db.name() + " RESET session_replication_role");
        }
    }

    @Test
    void missingTablesAndColumnsAreNamedWithTheirSetting() {
        TargetSchema d = TargetSchema.supabaseDefaults();
        TargetSchema wrong = new TargetSchema(d.identityTable(), d.identityId(), Identifier.of("signed_up_at"),
                d.anonymousColumn(), QualifiedName.parse("public.profiles"), d.profileId(), d.softDeleteColumn(),
                d.triggerName(), d.triggerFunction(), d.signupRole());

        assertThatThrownBy(() -> read(wrong))
                .isInstanceOf(SchemaProblemException.class)
                .satisfies(e -> assertThat(((SchemaProblemException) e).problems()).containsExactly(
                        "column signed_up_at does not exist in auth.users; set ghostwatch.identity.created-at-column",
                        "table public.profiles does not exist; point ghostwatch.profile.table at the right table"
                                + " (schema.table)"));
    }

    @Test
    void aRoleWithoutSelectIsToldWhichGrantIsMissing() throws SQLException {
        role("gw_noselect");
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gw_noselect') THEN"
                        + " CREATE ROLE gw_noselect LOGIN; END IF; END $$",
                "GRANT USAGE ON SCHEMA auth TO gw_noselect",
                "GRANT SELECT ON auth.users TO gw_noselect");
        try (Connection c = db.connectAs("gw_noselect", "")) {
            assertThatThrownBy(() -> new SnapshotReader(TargetSchema.supabaseDefaults()).read(c, REQUEST))
                    .isInstanceOf(SchemaProblemException.class)
                    .hasMessageContaining("cannot read public.users(id)")
                    .hasMessageContaining("GRANT SELECT ON \"public\".\"users\" TO <role>");
        } finally {
            db.execute("REVOKE ALL ON auth.users FROM gw_noselect", "REVOKE USAGE ON SCHEMA auth FROM gw_noselect");
        }
    }

    @Test
    void theSnapshotGivesUpOnLocksInsteadOfQueueingBehindDdl() throws SQLException {
        try (Connection ddl = db.connect(); Statement st = ddl.createStatement()) {
            ddl.setAutoCommit(false);
            st.execute("LOCK TABLE auth.users IN ACCESS EXCLUSIVE MODE");
            assertThatThrownBy(this::read)
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));
            ddl.rollback();
        }
    }

    @Test
    void theSnapshotLeavesAPooledConnectionAsItFoundIt() throws SQLException {
        try (Connection c = db.connect()) {
            new SnapshotReader(TargetSchema.supabaseDefaults()).read(c, REQUEST);
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(c.isReadOnly()).isFalse();
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        }
    }
}
