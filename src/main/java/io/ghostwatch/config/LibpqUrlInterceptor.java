package io.ghostwatch.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Lets {@code QUARKUS_DATASOURCE_JDBC_URL} take the libpq URL users paste from their provider
 * ({@code postgres://user:password@host:5432/db}): the driver sees the JDBC form, and the user and password in
 * the URL fill {@code quarkus.datasource.username/password} when those are not set. Any other value passes
 * through untouched. Registered in META-INF/services.
 */
public class LibpqUrlInterceptor implements ConfigSourceInterceptor {

    static final String URL = "quarkus.datasource.jdbc.url";
    static final String USER = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";

    /**
     * The names of the user and password too when the URL carries them: config mappings (the datasource's) read
     * only the names the sources list, so a value this interceptor supplies must be listed to be read at all.
     */
    @Override
    public java.util.Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        context.iterateNames().forEachRemaining(names::add);
        ConfigValue url = context.proceed(URL);
        if (url != null && LibpqUrl.isLibpq(url.getValue())) {
            try {
                LibpqUrl parsed = LibpqUrl.parse(url.getValue());
                parsed.user().ifPresent(u -> names.add(USER));
                parsed.password().ifPresent(p -> names.add(PASSWORD));
            } catch (IllegalArgumentException e) {
                // left as it is: the connection error names the form
            }
        }
        return names.iterator();
    }

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!name.equals(URL) && !name.equals(USER) && !name.equals(PASSWORD)) {
            return value;
        }
        ConfigValue url = name.equals(URL) ? value : context.proceed(URL);
        if (url == null || !LibpqUrl.isLibpq(url.getValue())) {
            return value;
        }
        LibpqUrl parsed;
        try {
            parsed = LibpqUrl.parse(url.getValue());
        } catch (IllegalArgumentException e) {
            return value; // left as it is: the connection error then names the form (DatabaseErrors)
        }
        if (name.equals(URL)) {
            return value.withValue(parsed.jdbcUrl());
        }
        if (value != null && value.getValue() != null && !value.getValue().isEmpty()) {
            return value; // set explicitly: it wins over the URL's
        }
        java.util.Optional<String> fromUrl = name.equals(USER) ? parsed.user() : parsed.password();
        return fromUrl.map(v -> ConfigValue.builder().withName(name).withValue(v)
                .withConfigSourceName("the database URL").build()).orElse(value);
    }
}
