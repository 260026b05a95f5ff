package io.ghostwatch.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real configuration mapping, outside Quarkus: defaults, conversion and range checks that name the key. */
class SettingsTest {

    private static GhostwatchConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GhostwatchConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "24h" form
                .withDefaultValues(values)
                .build();
        return config.getConfigMapping(GhostwatchConfig.class);
    }

    @Test
    void defaultsAreTheRunbooksSupabaseLayoutAndDesignPolicy() {
        Settings s = Settings.from(config(Map.of()));

        assertThat(s.target()).isEqualTo("default");
        assertThat(s.schema().identityTable().toString()).isEqualTo("auth.users");
        assertThat(s.schema().profileTable().toString()).isEqualTo("public.users");
        assertThat(s.schema().identityId().name()).isEqualTo("id");
        assertThat(s.schema().identityCreatedAt().name()).isEqualTo("created_at");
        assertThat(s.schema().softDeleteColumn()).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("deleted_at"));
        assertThat(s.schema().anonymousColumn()).isEmpty();
        assertThat(s.schema().triggerName().name()).isEqualTo("on_auth_user_created");
        assertThat(s.schema().triggerFunction().toString()).isEqualTo("public.handle_new_user");
        assertThat(s.schema().signupRole()).contains("supabase_auth_admin");
        assertThat(s.policy().oldAfter()).isEqualTo(Duration.ofHours(24));
        assertThat(s.policy().p0Count()).isEqualTo(5);
        assertThat(s.policy().recentWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(s.statementTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.ghostSampleSize()).isEqualTo(20);
        assertThat(s.fullScanParallelism()).isEqualTo(2);
    }

    @Test
    void everyKeyCanBeChanged() {
        Settings s = Settings.from(config(Map.of(
                "ghostwatch.target", "prod-eu",
                "ghostwatch.identity.table", "identity.accounts",
                "ghostwatch.identity.anonymous-users-have-profiles", "false",
                "ghostwatch.profile.soft-delete-column", "none",
                "ghostwatch.policy.old-after", "PT2H",
                "ghostwatch.policy.p0-count", "0",
                "ghostwatch.signup-role", "")));

        assertThat(s.target()).isEqualTo("prod-eu");
        assertThat(s.schema().identityTable().quoted()).isEqualTo("\"identity\".\"accounts\"");
        assertThat(s.schema().anonymousColumn()).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("is_anonymous"));
        assertThat(s.schema().softDeleteColumn()).isEmpty();
        assertThat(s.schema().signupRole()).isEmpty();
        assertThat(s.policy().oldAfter()).isEqualTo(Duration.ofHours(2));
        assertThat(s.policy().p0Count()).isZero();
    }

    @Test
    void anInjectedIdentifierIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> config(Map.of("ghostwatch.profile.table", "public.users; drop table x")))
                .hasMessageContaining("ghostwatch.profile.table")
                .hasStackTraceContaining("not a plain SQL identifier");
    }

    @Test
    void pushgatewaySettingsAreCheckedAndCredentialsBecomeOneHeader() {
        assertThat(Settings.from(config(Map.of())).pushgateway()).isEmpty();

        Settings basic = Settings.from(config(Map.of(
                "ghostwatch.pushgateway.url", "https://pushgateway.monitoring:9091/",
                "ghostwatch.pushgateway.username", "pusher",
                "ghostwatch.pushgateway.password", "pa55")));
        assertThat(basic.pushgateway()).hasValueSatisfying(p -> {
            assertThat(p.displayUrl()).isEqualTo("https://pushgateway.monitoring:9091");
            assertThat(p.authorization()).contains("Basic cHVzaGVyOnBhNTU=");
            assertThat(p.toString()).doesNotContain("pa55").doesNotContain("cHVzaGVy");
        });

        assertThatThrownBy(() -> Settings.from(config(Map.of(
                "ghostwatch.pushgateway.url", "ftp://gateway",
                "ghostwatch.pushgateway.password", "orphan",
                "ghostwatch.pushgateway.ca-file", "/nonexistent/ca.pem"))))
                .isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).problems()).containsExactly(
                        "ghostwatch.pushgateway.url: must be an http or https URL such as http://pushgateway:9091",
                        "ghostwatch.pushgateway.password: set ghostwatch.pushgateway.username as well",
                        "ghostwatch.pushgateway.ca-file: cannot read /nonexistent/ca.pem"));
    }

    @Test
    void rangeProblemsAreAllReportedEachWithItsKey() {
        assertThatThrownBy(() -> Settings.from(config(Map.of(
                "ghostwatch.policy.p0-count", "-1",
                "ghostwatch.policy.old-after", "0s",
                "ghostwatch.ghost-sample-size", "5000",
                "ghostwatch.target", "prod eu",
                "ghostwatch.profile.soft-delete-column", "deleted at",
                "ghostwatch.full-scan-parallelism", "9"))))
                .isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).problems())
                        .anySatisfy(p -> assertThat(p).startsWith("ghostwatch.target:"))
                        .anySatisfy(p -> assertThat(p).startsWith("ghostwatch.policy.old-after:"))
                        .anySatisfy(p -> assertThat(p).startsWith("ghostwatch.policy.p0-count:"))
                        .anySatisfy(p -> assertThat(p).startsWith("ghostwatch.ghost-sample-size:"))
                        .anySatisfy(p -> assertThat(p).startsWith("ghostwatch.profile.soft-delete-column:"))
                        .anySatisfy(p -> assertThat(p).startsWith("ghostwatch.full-scan-parallelism:")
                                .contains("between 1").contains("was 9"))
                        .hasSize(6));
    }
}
