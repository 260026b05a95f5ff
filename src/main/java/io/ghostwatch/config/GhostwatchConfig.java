package io.ghostwatch.config;

import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.IdentifierConverter;
import io.ghostwatch.sql.QualifiedName;
import io.ghostwatch.sql.QualifiedNameConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

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

    Contracts contracts();

    /** Contracts the catalog cannot show: rows the application writes itself after signup. */
    interface Contracts {

        /**
         * {@code name=schema.table(key_column) after 15m}, {@code ;}-separated: every identity created longer ago
         * than the grace (within the window) has a row there keyed by its id. None by default.
         */
        Optional<String> declared();

        /** How far back a contract is counted: identities created within this, past their grace. */
        @WithDefault("7d")
        Duration window();

        /**
         * Which tables the signup path writes a row in (keyed by the identity's id) are contracts counted identity
         * by identity, with a steady state of their own: {@code unconditional} those it writes for every identity,
         * {@code count} every one whose condition is SQL, {@code watch} none (write rates only).
         */
        @WithDefault("unconditional")
        String discovered();
    }

    /** {@code statement_timeout} for the snapshot transaction: no check may run longer. */
    @WithDefault("60s")
    Duration statementTimeout();

    /** {@code lock_timeout} for the snapshot: ghostwatch gives up rather than queue behind DDL. */
    @WithDefault("5s")
    Duration lockTimeout();

    /**
     * Steady state: the longest a check may report the last full scan's numbers because the tables' counters
     * show nothing changed; at least this often (and on any doubt) it scans both tables in full. 0s: always.
     */
    @WithDefault("1h")
    Duration fullScanInterval();

    /**
     * Steady state while ghosts or orphans stand: a full scan keeps its unmatched rows (ghosts, orphans, excluded
     * identities, soft-deleted orphans) when there are at most this many, and the checks after it count them again
     * (read by primary key where their table changed) instead of scanning. Above it, every check scans in full. 0:
     * keep none (a steady state only on a clean database). 20,000: the kept rows pass through the heap, which the
     * image caps at 32 MiB (a fix of 50,000 ghosts ran out of it).
     */
    @WithDefault("20000")
    int steadyStateMaxUnmatched();

    /**
     * The most connections a full scan compares the two primary keys on at once, each a slice of the key space
     * in one shared snapshot: 2 halves the wall time on a server with cores to spare; 1 keeps it to the run's
     * one connection. At most 4 (the pool's size leaves room for history).
     */
    @WithDefault("2")
    int fullScanParallelism();

    /** How many ghost ids (with created_at, never emails) a report carries. */
    @WithDefault("20")
    int ghostSampleSize();

    /**
     * The role that inserts identities (Supabase: {@code supabase_auth_admin}). A
     * {@code session_replication_role = replica} setting on this role silently stops the sync trigger.
     */
    @WithDefault("supabase_auth_admin")
    Optional<String> signupRole();

    /**
     * When {@code ghostwatch serve} runs a check: a Quartz cron expression (seconds first). Every 30 seconds: a
     * quiet check costs milliseconds (steady state), and the schedule is the largest part of how fast a page comes.
     */
    @WithDefault("0/30 * * * * ?")
    String schedule();

    Pushgateway pushgateway();

    History history();

    Remediate remediate();

    Canary canary();

    /**
     * The synthetic signup canary (opt-in): one identity inserted in a transaction that is always rolled back,
     * to see whether signups get their profile right now. Side effects: the insert fires the trigger (and
     * anything else on the table) inside that transaction, takes a sequence value if the table has one, and
     * counts in pg_stat_user_tables.n_tup_ins; nothing is committed.
     */
    interface Canary {
        @WithDefault("false")
        boolean enabled();

        /** The role to sign up as (SET LOCAL ROLE, when the monitoring role is a member); default signup-role. */
        Optional<String> role();

        /** statement_timeout and lock_timeout of the canary transaction. */
        @WithDefault("5s")
        Duration timeout();

        /** Extra identity columns to set, column=value, comma-separated (e.g. aud=authenticated). */
        Optional<String> values();
    }

    /** The guarded fixes ({@code ghostwatch fix ...}). */
    interface Remediate {
        /** Rows per backfill or soft-delete transaction. */
        @WithDefault("1000")
        int batchSize();

        /** lock_timeout of each write transaction: a fix waits at most this long behind signups or DDL. */
        @WithDefault("2s")
        Duration lockTimeout();

        /** statement_timeout of each write transaction. */
        @WithDefault("30s")
        Duration statementTimeout();

        /**
         * The backfill's column mapping, profile column = source, comma-separated. A source is an identity
         * column, {@code notnull:<column>} (true when it is set), {@code coalesce_now:<column>} or {@code now}.
         * The default is the runbook's Step 4.
         */
        @WithDefault("id=id,email=email,email_verified=notnull:email_confirmed_at,"
                + "created_at=coalesce_now:created_at,updated_at=now")
        String backfillColumns();

        /**
         * How a backfill writes profiles: {@code replay} runs the sync function itself on each ghost (what the
         * trigger would have written), {@code mapping} uses backfill-columns, {@code auto} replays when the
         * function exists and no cause says it fails, else maps.
         */
        @WithDefault("auto")
        String backfillMode();
    }

    @WithName("notify")
    Notify notifications();

    /** Run history in the target database (the runbook's get_sync_status_history). */
    interface History {
        /** false: no history schema, no outbox; every non-OK run notifies and a failed delivery is lost. */
        @WithDefault("true")
        boolean enabled();

        /** The schema ghostwatch owns in the target database, created and upgraded by Flyway. */
        @WithDefault("ghostwatch")
        String schema();

        /** Runs and notifications (the outbox: its payloads may hold e-mails) older than this: pruned by each run. */
        @WithDefault("90d")
        Duration retention();

        /** Finished fixes' audit rows and their repaired ids older than this are pruned by each run. */
        @WithDefault("400d")
        Duration auditRetention();
    }

    /** Who hears about a change: Slack and a generic signed JSON webhook, each optional. */
    interface Notify {
        Slack slack();

        Webhook webhook();

        /** Customer Success's list: emails of sampled ghosts in the generic webhook only. Personal data. */
        @WithDefault("false")
        boolean includeEmails();

        /** Linked from every message; where the on-call finds the runbook. */
        Optional<String> runbookUrl();

        /** Named in escalation messages (the runbook's escalation table). */
        @WithDefault("Buck (Data Engineering) and Isabel (Infrastructure)")
        String escalationContacts();

        /** How often an unresolved incident is repeated, per priority. */
        Reminder reminder();

        /** The runbook's escalation table: unresolved this long at a priority means escalate. */
        EscalateAfter escalateAfter();

        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("10s")
        Duration readTimeout();

        /** Attempts per delivery within one run (retries on 5xx, timeouts and connection errors, never on 4xx). */
        @WithDefault("3")
        int attempts();

        /** Wait before the first retry; doubles each time. */
        @WithDefault("500ms")
        Duration backoff();

        /** Runs in which an undelivered notification is tried again before it is given up (kept, marked). */
        @WithDefault("24")
        int maxRuns();

        interface Slack {
            /** Incoming-webhook URL. */
            Optional<String> url();
        }

        interface Webhook {
            Optional<String> url();

            /** HMAC-SHA256 key for X-Ghostwatch-Signature; required with the URL. */
            Optional<String> secret();
        }

        interface Reminder {
            @WithDefault("15m")
            Duration p0();

            @WithDefault("1h")
            Duration p1();

            @WithDefault("24h")
            Duration p2();
        }

        interface EscalateAfter {
            @WithDefault("15m")
            Duration p0();

            @WithDefault("1h")
            Duration p1();
        }
    }

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

        /** Read only when ghostwatch.notify.include-emails is true. */
        @WithDefault("email")
        @WithConverter(IdentifierConverter.class)
        Identifier emailColumn();

        /** When false, anonymous identities without a profile are not ghosts (the column above must exist). */
        @WithDefault("true")
        boolean anonymousUsersHaveProfiles();

        /**
         * When an identity was deleted (Supabase's soft delete sets auth.users.deleted_at): such identities are not
         * ghosts. {@code auto}: deleted_at when the identity table has it; a column name (must exist); {@code none}.
         */
        @WithDefault("auto")
        String deletedAtColumn();

        /**
         * A view to read identity rows through, owned by a role that may read the identity table (sql/supabase.sql
         * makes ghostwatch_read.identities): {@code auto} uses that one where it exists and the role may read it;
         * {@code none} reads the table.
         */
        @WithDefault("auto")
        String readThrough();
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

        /**
         * Which identities must have a profile. {@code auto}: as the signup path writes it, read from the catalog
         * at each check (an IF that skips guests, a trigger that makes the profile on e-mail confirmation): the
         * others lack one by design and are not ghosts. {@code all}: every identity (the runbook's pair).
         */
        @WithDefault("auto")
        String selection();
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

        /** This many rolled-back signup attempts, none committed since, is P0 {@code signups_failing}. */
        @WithDefault("3")
        int failedSignupsP0();

        /**
         * A lock that signups wait for, held this long (or with a session already waiting on it), is P0
         * {@code signups_blocked}.
         */
        @WithDefault("5s")
        Duration signupsBlockedAfter();

        /**
         * A table the signup path writes on INSERT that no row reached in this many signups since it last grew is
         * {@code path_write_stopped}.
         */
        @WithDefault("20")
        int writeStoppedAfter();
    }
}
