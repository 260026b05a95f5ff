package io.ghostwatch.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A libpq connection URL ({@code postgres://user:password@host:port/db?sslmode=require}, as providers' dashboards
 * show it) turned into the JDBC form the driver needs, with the user and password it carries.
 */
public record LibpqUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {

    public static boolean isLibpq(String url) {
        return url != null && (url.startsWith("postgres://") || url.startsWith("postgresql://"));
    }

    /** Throws {@link IllegalArgumentException} naming the form it needs when the URL cannot be read. */
    public static LibpqUrl parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.replaceFirst("^postgres(ql)?://", "postgresql://"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the database URL (" + e.getMessage() + "): use"
                    + " postgres://user:password@host:5432/database or jdbc:postgresql://host:5432/database"
                    + " (percent-encode special characters in the password)", e);
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("the database URL names no host: use"
                    + " postgres://user:password@host:5432/database");
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
                : uri.getHost();
        String database = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "postgres"
                : uri.getRawPath().substring(1);
        String jdbc = "jdbc:postgresql://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/" + database
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = Optional.of(decode(parts[0])).filter(u -> !u.isEmpty());
            password = parts.length > 1 ? Optional.of(decode(parts[1])) : Optional.empty();
        }
        return new LibpqUrl(jdbc, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
