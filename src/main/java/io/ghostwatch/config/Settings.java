package io.ghostwatch.config;

import io.ghostwatch.canary.CanarySettings;
import io.ghostwatch.history.HistorySettings;
import io.ghostwatch.judge.Policy;
import io.ghostwatch.judge.Priority;
import io.ghostwatch.notify.NotifySettings;
import io.ghostwatch.path.ContractSettings;
import io.ghostwatch.path.DeclaredContract;
import io.ghostwatch.remediate.ColumnMapping;
import io.ghostwatch.remediate.RemediationSettings;
import io.ghostwatch.metrics.PushSettings;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.QualifiedName;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validated configuration for one run, as plain values the rest of the code can use without CDI.
 * {@link #from} checks everything the type system cannot and reports every problem at once, each naming its key.
 */
public record Settings(String target, TargetSchema schema, Policy policy,
                       Duration statementTimeout, Duration lockTimeout, int ghostSampleSize,
                       String schedule, Optional<PushSettings> pushgateway, HistorySettings history,
                       NotifySettings notifications, RemediationSettings remediation, CanarySettings canary,
                       Duration fullScanInterval, int fullScanParallelism, int steadyStateMaxUnmatched,
                       ContractSettings contracts) {

    /** The same settings for a schema read against the database ({@link TargetSchema#resolved}). */
    public Settings withSchema(TargetSchema resolved) {
        return new Settings(target, resolved, policy, statementTimeout, lockTimeout, ghostSampleSize, schedule,
                pushgateway, history, notifications, remediation, canary, fullScanInterval, fullScanParallelism,
                steadyStateMaxUnmatched, contracts);
    }

    /** The same settings counting these contracts (a fix of one contract counts it whatever the mode). */
    public Settings withContracts(ContractSettings counted) {
        return new Settings(target, schema, policy, statementTimeout, lockTimeout, ghostSampleSize, schedule,
                pushgateway, history, notifications, remediation, canary, fullScanInterval, fullScanParallelism,
                steadyStateMaxUnmatched, counted);
    }

    /** The pool holds five connections: a run's own, history's migration, and up to three more for a scan. */
    public static final int MAX_SCAN_PARALLELISM = 4;

    /** Prometheus label values and Pushgateway path segments must stay readable and URL-safe. */
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final int MAX_SAMPLE = 1000;

    public static Settings from(GhostwatchConfig config) {
        List<String> problems = new ArrayList<>();

        if (!TARGET.matcher(config.target()).matches()) {
            problems.add("ghostwatch.target: '" + config.target()
                    + "' must be 1-63 characters of letters, digits, '.', '_' or '-'");
        }
        positive(problems, "ghostwatch.policy.old-after", config.policy().oldAfter());
        positive(problems, "ghostwatch.policy.recent-window", config.policy().recentWindow());
        positive(problems, "ghostwatch.statement-timeout", config.statementTimeout());
        positive(problems, "ghostwatch.lock-timeout", config.lockTimeout());
        if (config.fullScanInterval().isNegative()) {
            problems.add("ghostwatch.full-scan-interval: must be 0s (always scan in full) or more, was "
                    + config.fullScanInterval());
        }
        if (config.steadyStateMaxUnmatched() < 0) {
            problems.add("ghostwatch.steady-state-max-unmatched: must be 0 (keep no ids) or more, was "
                    + config.steadyStateMaxUnmatched());
        }
        if (config.fullScanParallelism() < 1 || config.fullScanParallelism() > MAX_SCAN_PARALLELISM) {
            problems.add("ghostwatch.full-scan-parallelism: must be between 1 (one connection) and "
                    + MAX_SCAN_PARALLELISM + ", was " + config.fullScanParallelism());
        }
        if (config.policy().failedSignupsP0() < 1) {
            problems.add("ghostwatch.policy.failed-signups-p0: must be 1 or more, was "
                    + config.policy().failedSignupsP0());
        }
        if (config.policy().writeStoppedAfter() < 1) {
            problems.add("ghostwatch.policy.write-stopped-after: must be 1 or more, was "
                    + config.policy().writeStoppedAfter());
        }
        if (config.policy().signupsBlockedAfter().isNegative()) {
            problems.add("ghostwatch.policy.signups-blocked-after: must not be negative, was "
                    + config.policy().signupsBlockedAfter());
        }
        if (config.policy().p0Count() < 0) {
            problems.add("ghostwatch.policy.p0-count: must be 0 or more, was " + config.policy().p0Count());
        }
        if (config.ghostSampleSize() < 0 || config.ghostSampleSize() > MAX_SAMPLE) {
            problems.add("ghostwatch.ghost-sample-size: must be between 0 and " + MAX_SAMPLE
                    + ", was " + config.ghostSampleSize());
        }
        Optional<Identifier> softDelete = identifierOrNone(problems, "ghostwatch.profile.soft-delete-column",
                config.profile().softDeleteColumn());
        String deletedAtSetting = config.identity().deletedAtColumn().trim();
        boolean deletedAtAuto = "auto".equals(deletedAtSetting);
        Optional<Identifier> deletedAt = deletedAtAuto ? Optional.of(TargetSchema.DELETED_AT)
                : identifierOrNone(problems, "ghostwatch.identity.deleted-at-column", deletedAtSetting);
        String readThroughSetting = config.identity().readThrough().trim();
        boolean readThroughAuto = "auto".equals(readThroughSetting);
        Optional<QualifiedName> readThrough = Optional.empty();
        if (readThroughAuto) {
            readThrough = Optional.of(TargetSchema.READ_THROUGH);
        } else if (!"none".equals(readThroughSetting)) {
            try {
                readThrough = Optional.of(QualifiedName.parse(readThroughSetting));
            } catch (IllegalArgumentException e) {
                problems.add("ghostwatch.identity.read-through: " + e.getMessage() + " (auto, none or schema.view)");
            }
        }
        String selection = config.profile().selection().trim();
        if (!selection.equals("auto") && !selection.equals("all")) {
            problems.add("ghostwatch.profile.selection: must be auto (as the signup path writes profiles) or all"
                    + " (every identity), was '" + selection + "'");
        }
        Optional<String> signupRole = config.signupRole().map(String::trim).filter(r -> !r.isEmpty());
        signupRole.ifPresent(role -> identifierOrNone(problems, "ghostwatch.signup-role", role));

        Optional<PushSettings> push = pushSettings(problems, config.pushgateway());
        HistorySettings history = historySettings(problems, config.history());
        NotifySettings notify = notifySettings(problems, config);
        RemediationSettings remediation = remediationSettings(problems, config);
        CanarySettings canary = canarySettings(problems, config, signupRole);

        List<DeclaredContract> contracts = DeclaredContract.parse("ghostwatch.contracts.declared",
                config.contracts().declared(), problems);
        positive(problems, "ghostwatch.contracts.window", config.contracts().window());
        if (java.util.Arrays.stream(ContractSettings.Discovered.values()).noneMatch(d -> d.name().toLowerCase(
                java.util.Locale.ROOT).equals(config.contracts().discovered()))) {
            problems.add("ghostwatch.contracts.discovered: '" + config.contracts().discovered() + "' is not"
                    + " unconditional, count or watch (unconditional: the tables the signup path writes for every"
                    + " identity are counted identity by identity; count: every one whose condition is SQL; watch:"
                    + " only their write rate)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        TargetSchema schema = new TargetSchema(
                config.identity().table(),
                config.identity().idColumn(),
                config.identity().createdAtColumn(),
                config.identity().anonymousUsersHaveProfiles()
                        ? Optional.empty() : Optional.of(config.identity().anonymousColumn()),
                config.profile().table(),
                config.profile().idColumn(),
                softDelete,
                config.trigger().name(),
                config.trigger().function(),
                signupRole,
                deletedAt,
                deletedAtAuto,
                readThrough,
                readThroughAuto,
                Optional.empty(),
                selection.equals("auto"));
        Policy policy = new Policy(config.policy().oldAfter(), config.policy().p0Count(),
                config.policy().recentWindow(), config.policy().failedSignupsP0(),
                config.policy().signupsBlockedAfter(), config.policy().writeStoppedAfter());
        return new Settings(config.target(), schema, policy, config.statementTimeout(), config.lockTimeout(),
                config.ghostSampleSize(), config.schedule(), push, history, notify, remediation, canary,
                config.fullScanInterval(), config.fullScanParallelism(), config.steadyStateMaxUnmatched(),
                new ContractSettings(contracts, config.contracts().window(), ContractSettings.Discovered.valueOf(
                        config.contracts().discovered().toUpperCase(java.util.Locale.ROOT))));
    }

    private static CanarySettings canarySettings(List<String> problems, GhostwatchConfig config,
                                                 Optional<String> signupRole) {
        GhostwatchConfig.Canary c = config.canary();
        String key = "ghostwatch.canary.";
        positive(problems, key + "timeout", c.timeout());
        Optional<Identifier> role = identifierOrNone(problems, key + "role",
                c.role().map(String::trim).filter(r -> !r.isEmpty()).or(() -> signupRole).orElse(""));
        Map<Identifier, String> values = new java.util.LinkedHashMap<>();
        for (String pair : c.values().map(String::trim).filter(v -> !v.isEmpty()).map(v -> v.split(","))
                .orElse(new String[0])) {
            String[] kv = pair.trim().split("=", 2);
            if (kv.length != 2) {
                problems.add(key + "values: '" + pair.trim() + "' is not column=value");
                continue;
            }
            try {
                values.put(Identifier.of(kv[0].trim()), kv[1].trim());
            } catch (IllegalArgumentException e) {
                problems.add(key + "values: " + e.getMessage());
            }
        }
        return new CanarySettings(c.enabled(), role, c.timeout(), values);
    }

    private static RemediationSettings remediationSettings(List<String> problems, GhostwatchConfig config) {
        GhostwatchConfig.Remediate c = config.remediate();
        String key = "ghostwatch.remediate.";
        if (c.batchSize() < 1 || c.batchSize() > 100_000) {
            problems.add(key + "batch-size: must be between 1 and 100000, was " + c.batchSize());
        }
        positive(problems, key + "lock-timeout", c.lockTimeout());
        positive(problems, key + "statement-timeout", c.statementTimeout());
        ColumnMapping mapping = null;
        try {
            mapping = ColumnMapping.parse(c.backfillColumns(), config.profile().idColumn(),
                    config.identity().idColumn());
        } catch (IllegalArgumentException e) {
            problems.add(key + "backfill-columns: " + e.getMessage());
        }
        RemediationSettings.BackfillMode mode = RemediationSettings.BackfillMode.AUTO;
        try {
            mode = RemediationSettings.BackfillMode.parse(c.backfillMode());
        } catch (IllegalArgumentException e) {
            problems.add(key + "backfill-mode: " + e.getMessage());
        }
        return new RemediationSettings(c.batchSize(), c.lockTimeout(), c.statementTimeout(), mapping, mode);
    }

    private static HistorySettings historySettings(List<String> problems, GhostwatchConfig.History c) {
        Identifier schema = Identifier.of("ghostwatch");
        try {
            schema = Identifier.of(c.schema().trim());
        } catch (IllegalArgumentException e) {
            problems.add("ghostwatch.history.schema: " + e.getMessage());
        }
        positive(problems, "ghostwatch.history.retention", c.retention());
        positive(problems, "ghostwatch.history.audit-retention", c.auditRetention());
        return new HistorySettings(c.enabled(), schema, c.retention(), c.auditRetention());
    }

    private static NotifySettings notifySettings(List<String> problems, GhostwatchConfig config) {
        GhostwatchConfig.Notify c = config.notifications();
        String key = "ghostwatch.notify.";
        Optional<URI> slack = httpUrl(problems, key + "slack.url", c.slack().url());
        Optional<URI> webhook = httpUrl(problems, key + "webhook.url", c.webhook().url());
        Optional<String> secret = c.webhook().secret().filter(v -> !v.isEmpty());
        if (webhook.isPresent() && secret.isEmpty()) {
            problems.add(key + "webhook.secret: required with " + key + "webhook.url (receivers verify the"
                    + " HMAC-SHA256 signature with it)");
        }
        Optional<String> runbook = c.runbookUrl().map(String::trim).filter(v -> !v.isEmpty());
        runbook.ifPresent(u -> httpUrl(problems, key + "runbook-url", Optional.of(u)));
        Map<Priority, Duration> reminders = new EnumMap<>(Priority.class);
        reminders.put(Priority.P0, c.reminder().p0());
        reminders.put(Priority.P1, c.reminder().p1());
        reminders.put(Priority.P2, c.reminder().p2());
        reminders.forEach((p, d) -> positive(problems, key + "reminder." + p.name().toLowerCase(), d));
        Map<Priority, Duration> escalate = new EnumMap<>(Priority.class);
        escalate.put(Priority.P0, c.escalateAfter().p0());
        escalate.put(Priority.P1, c.escalateAfter().p1());
        escalate.forEach((p, d) -> positive(problems, key + "escalate-after." + p.name().toLowerCase(), d));
        positive(problems, key + "connect-timeout", c.connectTimeout());
        positive(problems, key + "read-timeout", c.readTimeout());
        positive(problems, key + "backoff", c.backoff());
        if (c.attempts() < 1 || c.attempts() > 10) {
            problems.add(key + "attempts: must be between 1 and 10, was " + c.attempts());
        }
        if (c.maxRuns() < 1) {
            problems.add(key + "max-runs: must be at least 1, was " + c.maxRuns());
        }
        return new NotifySettings(slack, webhook, secret, c.includeEmails(), config.identity().emailColumn(),
                runbook, c.escalationContacts(), reminders, escalate, c.connectTimeout(), c.readTimeout(),
                c.attempts(), c.backoff(), c.maxRuns());
    }

    /** An optional http(s) URL; the value itself is never echoed, since webhook URLs carry secrets. */
    private static Optional<URI> httpUrl(List<String> problems, String key, Optional<String> value) {
        Optional<String> v = value.map(String::trim).filter(u -> !u.isEmpty());
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(v.get());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problems.add(key + ": must be an http or https URL");
        return Optional.empty();
    }

    private static Optional<PushSettings> pushSettings(List<String> problems, GhostwatchConfig.Pushgateway c) {
        Optional<String> url = c.url().map(String::trim).filter(u -> !u.isEmpty());
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String key = "ghostwatch.pushgateway.";
        URI uri = null;
        try {
            uri = new URI(url.get());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                problems.add(key + "url: must be an http or https URL such as http://pushgateway:9091");
                uri = null;
            }
        } catch (URISyntaxException e) {
            problems.add(key + "url: not a URL (" + e.getReason() + ")");
        }
        if (!TARGET.matcher(c.job()).matches()) {
            problems.add(key + "job: '" + c.job() + "' must be 1-63 characters of letters, digits, '.', '_' or '-'");
        }
        positive(problems, key + "timeout", c.timeout());
        Optional<String> user = c.username().filter(u -> !u.isEmpty());
        Optional<String> token = c.bearerToken().filter(t -> !t.isEmpty());
        Optional<String> authorization = Optional.empty();
        if (user.isPresent() && token.isPresent()) {
            problems.add(key + "username and " + key + "bearer-token: set one of them, not both");
        } else if (user.isPresent()) {
            String pair = user.get() + ":" + c.password().orElse("");
            authorization = Optional.of("Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else if (token.isPresent()) {
            authorization = Optional.of("Bearer " + token.get());
        } else if (c.password().filter(p -> !p.isEmpty()).isPresent()) {
            problems.add(key + "password: set " + key + "username as well");
        }
        Optional<Path> ca = c.caFile().filter(f -> !f.isBlank()).map(Path::of);
        if (ca.isPresent() && !Files.isReadable(ca.get())) {
            problems.add(key + "ca-file: cannot read " + ca.get());
        }
        return uri == null ? Optional.empty()
                : Optional.of(new PushSettings(uri, c.job(), c.timeout(), authorization, ca));
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(key + ": must be a positive duration such as 30s, 5m or 24h, was " + value);
        }
    }

    private static Optional<Identifier> identifierOrNone(List<String> problems, String key, String value) {
        String trimmed = value.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Identifier.of(trimmed));
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
