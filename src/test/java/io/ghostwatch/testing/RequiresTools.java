package io.ghostwatch.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Debian's tools a test class runs (Prometheus's, PgBouncer): checked before any of its tests, so a missing one
 * fails them with one line naming the package to install, not a stack trace halfway through a test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ToolsCheck.class)
public @interface RequiresTools {

    /** Executables, e.g. {@code promtool}, {@code amtool}, {@code prometheus-pushgateway}. */
    String[] value();
}
