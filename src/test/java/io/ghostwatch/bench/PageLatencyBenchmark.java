package io.ghostwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostwatch.testing.AlertingStack;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Http;
import io.ghostwatch.testing.PrometheusTools.Pushgateway;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;
import io.ghostwatch.testing.WebhookReceiver;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Not a test: how fast a page comes, measured with Debian's real Prometheus, Pushgateway and Alertmanager running
 * the shipped rule file, routes and timings (receivers pointed at a local one that records arrival times), for
 * the two ways to run ghostwatch with their shipped schedules. Each trial makes an incident at a random moment of
 * the schedule on a database of real signups, then reads from Prometheus, Alertmanager's payload and the
 * receiver where the time went: schedule wait, the run, scrape wait, evaluation wait, Alertmanager's group_wait
 * and delivery. README.md ("How fast a page comes") says how to run it and holds the figures.
 *
 * <p>Prometheus runs as the Prometheus Operator's defaults have it (scrape and evaluation every 30 s); serve mode
 * is scraped at the chart's ServiceMonitor interval (15 s); the rule groups' own 15 s interval applies as shipped.
 * The CronJob shape is played by this harness as Kubernetes' controller would: a {@code check} process started at
 * every minute boundary, one run at a time; a real cluster adds its pod start (not measured here).
 *
 * <p>Arguments: {@code [shapes] [trials] [identities]}, e.g. {@code serve,cronjob 4 100000}. The CronJob shape
 * runs the native executable when {@code -Dnative.image.path} names one, else the jar.
 */
public final class PageLatencyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PAGE_LIMIT = Duration.ofMinutes(5);
    /** The Prometheus Operator's defaults, and the chart's ServiceMonitor interval for serve mode. */
    private static final int GLOBAL_INTERVAL_S = 30;
    private static final int SERVE_SCRAPE_S = 15;

    private enum Incident {
        /** Runbook Step 3A: the trigger disabled, then one signup commits without its profile. */
        TRIGGER_DISABLED("trigger_disabled"),
        /** Step 3C: the sync function names a dropped column; the next signup fails (rolls back). */
        FUNCTION_BROKEN("cause_function_column_missing");

        final String code;

        Incident(String code) {
            this.code = code;
        }
    }

    /** Where one page's time went, in seconds from the incident. */
    private record Trial(String shape, String target, Incident incident, double scheduleWait, double run,
                         double scrapeWait, double evalWait, double alertmanager, double total, double webhook) {
    }

    private PageLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> shapes = List.of((args.length > 0 ? args[0] : "serve,cronjob").split(","));
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int identities = args.length > 2 ? Integer.parseInt(args[2].replace("_", "")) : 100_000;
        String launcher = Ghostwatch.isNative() ? "native executable" : "JVM jar";
        System.out.printf(Locale.ROOT, "page latency: %s, %d trial(s) each, %,d identities; check runs the %s%n",
                shapes, trials, identities, launcher);

        try (TestDatabase db = TestDatabase.create("page_latency");
             Stack stack = Stack.start()) {
            SupabaseFixture fixture = SupabaseFixture.install(db).authServerOwnsIdentities();
            fixture.users(identities, Duration.ofDays(3));
            String function = db.queryString("SELECT pg_get_functiondef('public.handle_new_user()'::regprocedure)");
            db.execute("ANALYZE auth.users", "ANALYZE public.users");
            List<Trial> results = new ArrayList<>();
            Random random = new Random(31);
            for (String shape : shapes) {
                for (int i = 0; i < trials; i++) {
                    Incident incident = Incident.values()[i % Incident.values().length];
                    String target = shape + "-" + i + "-" + Long.toHexString(System.nanoTime() & 0xfffff);
                    Trial t = shape.equals("serve") ? serveTrial(stack, db, fixture, target, incident, random)
                            : cronTrial(stack, db, fixture, target, incident, random);
                    results.add(t);
                    print(t);
                    heal(db, fixture, incident, function);
                }
            }
            summary(results);
        }
    }

    // ── the two shapes ────────────────────────────────────────────────────────────────────────────────────

    private static Trial serveTrial(Stack stack, TestDatabase db, SupabaseFixture fixture, String target,
                                    Incident incident, Random random) throws Exception {
        Ghostwatch g = ghostwatch(stack, db, target).env("QUARKUS_HTTP_PORT", Integer.toString(stack.servePort));
        try (Ghostwatch.Running serve = g.start("serve")) {
            stack.awaitSeries("ghostwatch_up{target=\"" + target + "\"} == 1", Duration.ofMinutes(2));
            Thread.sleep(random.nextInt(30_000));  // any moment of the 30 s schedule
            Instant t0 = incident(fixture, incident);
            Instant paged = stack.awaitPage(target, t0);
            Sample first = stack.firstSample(target, incident.code, t0);
            double runEnd = stack.valueAt("ghostwatch_last_run_timestamp_seconds", target, first.at);
            double duration = stack.valueAt("ghostwatch_check_duration_seconds", target, first.at);
            return trial("serve", target, incident, t0, runEnd - duration, runEnd, first, stack, paged);
        }
    }

    /**
     * The CronJob as Kubernetes' controller runs it: a {@code check} at every minute boundary, never two at once
     * ({@code concurrencyPolicy: Forbid}), each pushing to the Pushgateway.
     */
    private static Trial cronTrial(Stack stack, TestDatabase db, SupabaseFixture fixture, String target,
                                   Incident incident, Random random) throws Exception {
        Ghostwatch g = ghostwatch(stack, db, target).env("GHOSTWATCH_PUSHGATEWAY_URL", stack.gateway.url());
        List<Instant[]> runs = java.util.Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService cron = Executors.newSingleThreadScheduledExecutor();
        long untilMinute = 60_000 - System.currentTimeMillis() % 60_000;
        cron.scheduleAtFixedRate(() -> {
            Instant started = Instant.now();
            g.run("check");
            runs.add(new Instant[] {started, Instant.now()});
        }, untilMinute, 60_000, TimeUnit.MILLISECONDS);
        try {
            stack.awaitSeries("ghostwatch_up{target=\"" + target + "\"} == 1", Duration.ofMinutes(3));
            Thread.sleep(random.nextInt(60_000));  // any moment of the minute
            Instant t0 = incident(fixture, incident);
            Instant paged = stack.awaitPage(target, t0);
            Sample first = stack.firstSample(target, incident.code, t0);
            double pushed = stack.valueAt("push_time_seconds", target, first.at);
            Instant[] run = runs.stream().filter(r -> !r[0].isBefore(t0)).findFirst().orElseThrow();
            return trial("cronjob", target, incident, t0, seconds(run[0]), pushed, first, stack, paged);
        } finally {
            cron.shutdownNow();
            cron.awaitTermination(2, TimeUnit.MINUTES);
        }
    }

    private static Ghostwatch ghostwatch(Stack stack, TestDatabase db, String target) {
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", target)
                .env("GHOSTWATCH_NOTIFY_WEBHOOK_URL", stack.receiver.url("/hook"))
                .env("GHOSTWATCH_NOTIFY_WEBHOOK_SECRET", Stack.SECRET);
    }

    private static Trial trial(String shape, String target, Incident incident, Instant t0, double runStart,
                               double runEnd, Sample first, Stack stack, Instant paged) {
        double start = seconds(t0);
        double startsAt = stack.alertStartsAt(target, paged);
        double webhook = stack.webhookArrival(target, t0).map(w -> seconds(w) - start).orElse(Double.NaN);
        return new Trial(shape, target, incident, runStart - start, runEnd - runStart, first.at - runEnd,
                startsAt - first.at, seconds(paged) - startsAt, seconds(paged) - start, webhook);
    }

    // ── the incidents, made real, and undone ──────────────────────────────────────────────────────────────

    private static Instant incident(SupabaseFixture fixture, Incident incident) {
        switch (incident) {
            case TRIGGER_DISABLED -> {
                fixture.triggerState("DISABLE");
                SupabaseFixture.Signup s = fixture.signup(true);
                if (!s.ghost()) {
                    throw new IllegalStateException("the incident did not happen: " + s);
                }
                return Instant.now();
            }
            case FUNCTION_BROKEN -> {
                fixture.breakFunctionWithDroppedColumn();
                Instant broken = Instant.now();
                SupabaseFixture.Signup s = fixture.signup(true);
                if (!s.failed()) {
                    throw new IllegalStateException("the incident did not happen: " + s);
                }
                return broken;
            }
            default -> throw new IllegalArgumentException(incident.name());
        }
    }

    private static void heal(TestDatabase db, SupabaseFixture fixture, Incident incident, String function) {
        fixture.triggerState("ENABLE");
        db.execute(function, "INSERT INTO public.users (id, email) SELECT a.id, a.email FROM auth.users a"
                + " WHERE NOT EXISTS (SELECT 1 FROM public.users p WHERE p.id = a.id)");
    }

    // ── printing ──────────────────────────────────────────────────────────────────────────────────────────

    private static void print(Trial t) {
        System.out.printf(Locale.ROOT, "%-8s %-17s %-30s total %6.1f s = schedule %5.1f + run %5.2f + scrape %5.1f"
                        + " + evaluation %5.1f + alertmanager %5.1f; ghostwatch's webhook %5.1f s%n", t.shape,
                t.incident.name().toLowerCase(Locale.ROOT), t.target, t.total, t.scheduleWait, t.run, t.scrapeWait,
                t.evalWait, t.alertmanager, t.webhook);
    }

    private static void summary(List<Trial> results) {
        System.out.println();
        System.out.println("shape    | trials | page median | page max | schedule | run  | scrape | eval | alertmanager"
                + " | webhook median | worst case (shipped intervals + max run and delivery)");
        for (String shape : List.of("serve", "cronjob")) {
            List<Trial> of = results.stream().filter(t -> t.shape.equals(shape)).toList();
            if (of.isEmpty()) {
                continue;
            }
            double schedule = shape.equals("serve") ? 30 : 60;
            double scrape = shape.equals("serve") ? SERVE_SCRAPE_S : GLOBAL_INTERVAL_S;
            double worst = schedule + max(of, Trial::run) + scrape + 15 + max(of, Trial::alertmanager);
            System.out.printf(Locale.ROOT, "%-8s | %6d | %9.1f s | %6.1f s | %6.1f s | %4.2f | %4.1f s | %4.1f |"
                            + " %10.1f s | %12.1f s | %.1f s = %.0f + %.2f + %.0f + 15 + %.1f%n", shape, of.size(),
                    median(of, Trial::total), max(of, Trial::total), median(of, Trial::scheduleWait),
                    median(of, Trial::run), median(of, Trial::scrapeWait), median(of, Trial::evalWait),
                    median(of, Trial::alertmanager), median(of, Trial::webhook), worst, schedule, max(of, Trial::run),
                    scrape, max(of, Trial::alertmanager));
        }
    }

    private static double median(List<Trial> trials, Function<Trial, Double> part) {
        List<Double> v = trials.stream().map(part).filter(d -> !d.isNaN()).sorted().toList();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static double max(List<Trial> trials, Function<Trial, Double> part) {
        return trials.stream().map(part).filter(d -> !d.isNaN()).max(Comparator.naturalOrder()).orElse(Double.NaN);
    }

    private static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    /** One sample of a series as Prometheus stored it: when it was scraped. */
    private record Sample(double at, double value) {
    }

    // ── the monitoring stack, as shipped, and what it says of one page ─────────────────────────────────────

    private static final class Stack implements AutoCloseable {
        static final String SECRET = "bench-webhook-secret";
        final AlertingStack servers = AlertingStack.shipped(SECRET, GLOBAL_INTERVAL_S, SERVE_SCRAPE_S);
        final WebhookReceiver receiver = servers.receiver;
        final Pushgateway gateway = servers.gateway;
        final int servePort = servers.servePort;

        static Stack start() {
            return new Stack();
        }

        void awaitSeries(String promql, Duration limit) throws InterruptedException {
            Instant deadline = Instant.now().plus(limit);
            while (servers.query(promql).isEmpty()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Prometheus never had " + promql);
                }
                Thread.sleep(500);
            }
        }

        /** The first P0 page for the target after {@code t0}, as the pager receiver got it. */
        Instant awaitPage(String target, Instant t0) throws InterruptedException {
            Instant deadline = t0.plus(PAGE_LIMIT);
            while (Instant.now().isBefore(deadline)) {
                Optional<Instant> page = pages(target).stream().map(WebhookReceiver.Request::receivedAt)
                        .filter(t -> t.isAfter(t0)).min(Comparator.naturalOrder());
                if (page.isPresent()) {
                    return page.get();
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("no page for " + target + " within " + PAGE_LIMIT + "; Prometheus: "
                    + Http.get(servers.prometheus.url() + "/api/v1/alerts").body());
        }

        private List<WebhookReceiver.Request> pages(String target) {
            return receiver.accepted("/pager").stream().filter(r -> r.body().contains("\"target\":\"" + target
                    + "\"") && r.body().contains("\"status\":\"firing\"")).toList();
        }

        /** When Prometheus's evaluation fired the paged alert (its startsAt; no {@code for} on a P0). */
        double alertStartsAt(String target, Instant paged) {
            try {
                WebhookReceiver.Request page = pages(target).stream().filter(r -> r.receivedAt().equals(paged))
                        .findFirst().orElseThrow();
                double earliest = Double.MAX_VALUE;
                for (JsonNode a : JSON.readTree(page.body()).get("alerts")) {
                    earliest = Math.min(earliest, Instant.parse(a.get("startsAt").asText()).toEpochMilli() / 1000.0);
                }
                return earliest;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** ghostwatch's own notification (the generic webhook) for this target's incident. */
        Optional<Instant> webhookArrival(String target, Instant t0) {
            return receiver.accepted("/hook").stream().filter(r -> r.body().contains(target)
                            && r.receivedAt().isAfter(t0)).map(WebhookReceiver.Request::receivedAt)
                    .min(Comparator.naturalOrder());
        }

        /** The first sample of the finding after the incident: the scrape that brought it to Prometheus. */
        Sample firstSample(String target, String code, Instant t0) {
            JsonNode result = servers.query("ghostwatch_finding{target=\"" + target + "\",code=\"" + code
                    + "\"}[15m]");
            double since = seconds(t0);
            for (JsonNode series : result) {
                for (JsonNode v : series.get("values")) {
                    if (v.get(0).asDouble() >= since) {
                        return new Sample(v.get(0).asDouble(), v.get(1).asDouble());
                    }
                }
            }
            throw new IllegalStateException("Prometheus has no " + code + " sample for " + target);
        }

        /** A series' value in the same scrape. */
        double valueAt(String metric, String target, double at) {
            for (JsonNode series : servers.query(metric + "{target=\"" + target + "\"}[15m]")) {
                for (JsonNode v : series.get("values")) {
                    if (Math.abs(v.get(0).asDouble() - at) < 0.001) {
                        return v.get(1).asDouble();
                    }
                }
            }
            throw new IllegalStateException("no " + metric + " sample for " + target + " at " + at);
        }

        @Override
        public void close() {
            servers.close();
        }
    }
}
