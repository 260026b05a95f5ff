package io.ghostwatch.testing;

import io.quarkus.test.config.QuarkusClassOrderer;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;

/**
 * Quarkus's own class order (quarkus-junit's default), with the {@link RunsLast} classes moved to the end and
 * every other class where it was. Set for the integration tests in pom.xml.
 */
public final class SuiteOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        new QuarkusClassOrderer().orderClasses(context);
        context.getClassDescriptors().sort(Comparator.comparing(d -> d.isAnnotated(RunsLast.class)));
    }
}
