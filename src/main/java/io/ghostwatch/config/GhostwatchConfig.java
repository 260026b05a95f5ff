package io.ghostwatch.config;

import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.IdentifierConverter;
import io.ghostwatch.sql.QualifiedName;
import io.ghostwatch.sql.QualifiedNameConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Everything ghostwatch reads from configuration, with its default. Each key is also an environment variable
 * ({@code ghostwatch.policy.old-after} is {@code GHOSTWATCH_POLICY_OLD_AFTER}). Conversion errors (a bad
 * identifier, an unreadable duration) fail start-up naming the key; range checks live in {@link Settings}.
 */
@ConfigMapping(prefix = "ghostwatch")
public interface GhostwatchConfig {

    /** The value of the {@code target} label on metrics and in reports: which database this is. */
    @WithDefault("default")
    String target();

    Identity identity();

    Profile profile();

    Trigger trigger();

    Policy policy();

    /** {@code statement_timeout} for the snapshot transaction: no check may run longer. */
    @WithDefault("60s")
    Duration statementTimeout();

    /** {@code lock_timeout} for the snapshot: ghostwatch gives up rather than queue behind DDL. */
    @WithDefault("5s")
    Duration lockTimeout();

    /** How many ghost ids (with created_at, never emails) a report carries. */
    @WithDefault("20")
    int ghostSampleSize();

    /**
     * The role that inserts identities (Supabase: {@code supabase_auth_admin}). A
     * {@code session_replication_role = replica} setting on this role silently stops the sync trigger.
     */
    @WithDefault("supabase_auth_admin")
    Optional<String> signupRole();

    /** When {@code ghostwatch serve} runs a check: a Quartz cron expression (seconds first). Every 5 minutes. */
    @WithDefault("0 */5 * * * ?")
    String schedule();

    Pushgateway pushgateway();

    /** Where {@code ghostwatch check} pushes its series (CronJob mode); unset: no push. */
    interface Pushgateway {
        /** Base URL, e.g. {@code http://pushgateway.monitoring:9091}; https uses the JVM's trust store or ca-file. */
        Optional<String> url();

        /** The {@code job} label of the grouping key; {@code target} is always the other one. */
        @WithDefault("ghostwatch")
        String job();

        @WithDefault("10s")
        Duration timeout();

        /** Basic auth (with password); mutually exclusive with bearer-token. */
        Optional<String> username();

        Optional<String> password();

        Optional<String> bearerToken();

        /** PEM file of CA certificates to trust for an https URL (a private CA). */
        Optional<String> caFile();
    }

    /** The identity table that people sign up into. */
    interface Identity {
        @WithDefault("auth.users")
        @WithConverter(QualifiedNameConverter.class)
        QualifiedName table();

        @WithDefault("id")
        @WithConverter(IdentifierConverter.class)
        Identifier idColumn();

        /** Nullable in Supabase: a ghost without it counts as old. */
        @WithDefault("created_at")
        @WithConverter(IdentifierConverter.class)
        Identifier createdAtColumn();

        @WithDefault("is_anonymous")
        @WithConverter(IdentifierConverter.class)
        Identifier anonymousColumn();

        /** When false, anonymous identities without a profile are not ghosts (the column above must exist). */
        @WithDefault("true")
        boolean anonymousUsersHaveProfiles();
    }

    /** The application's profile table that the sync trigger fills. */
    interface Profile {
        @WithDefault("public.users")
        @WithConverter(QualifiedNameConverter.class)
        QualifiedName table();

        @WithDefault("id")
        @WithConverter(IdentifierConverter.class)
        Identifier idColumn();

        /**
         * Set on handled (soft-deleted) profiles, which are not orphans. {@code none}: the table has no such
         * column, every profile without an identity is an orphan.
         */
        @WithDefault("deleted_at")
        String softDeleteColumn();
    }

    /** The trigger that copies identities into profiles. */
    interface Trigger {
        @WithDefault("on_auth_user_created")
        @WithConverter(IdentifierConverter.class)
        Identifier name();

        @WithDefault("public.handle_new_user")
        @WithConverter(QualifiedNameConverter.class)
        QualifiedName function();
    }

    /** DESIGN.md's severity table. */
    interface Policy {
        /** A ghost older than this (or without created_at) is P0. */
        @WithDefault("24h")
        Duration oldAfter();

        /** More ghosts than this is P0; 1 to this many young ghosts is P1. */
        @WithDefault("5")
        int p0Count();

        /** Ghosts younger than this are reported as "recent" (the runbook's "< 1 hour"). */
        @WithDefault("1h")
        Duration recentWindow();
    }
}
