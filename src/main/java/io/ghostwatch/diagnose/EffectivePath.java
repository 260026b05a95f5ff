package io.ghostwatch.diagnose;

import io.ghostwatch.roles.LoginSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The search_path a signup's run of the sync function resolves names through: the function's own fixed
 * search_path, else the signup role's login search_path (Supabase's auth server: {@code auth}), else the
 * server default. {@code pg_catalog} is always searched first when the path does not name it.
 *
 * @param path    the value as written
 * @param source  where it comes from, for evidence
 * @param schemas the schemas it names, in order ({@code "$user"} replaced)
 */
record EffectivePath(String path, String source, List<String> schemas) {

    private static final String DEFAULT_PATH = "\"$user\", public";

    static EffectivePath of(CauseContext ctx) {
        SyncFunction f = ctx.function().orElseThrow();
        String path;
        String source;
        if (f.fixedSearchPath().isPresent()) {
            path = f.fixedSearchPath().get();
            source = "the function's own search_path";
        } else if (ctx.signup().flatMap(s -> s.get("search_path")).isPresent()) {
            path = ctx.signup().flatMap(s -> s.get("search_path")).get();
            source = ctx.signup().get().role() + "'s login search_path";
        } else {
            path = DEFAULT_PATH;
            source = "the default search_path";
        }
        Optional<String> user = ctx.inserter().or(() -> ctx.signup().map(LoginSettings::role));
        return new EffectivePath(path, source, schemas(path, user));
    }

    /** Where an unqualified function name is looked up: pg_catalog first unless the path places it. */
    List<String> functionSchemas() {
        List<String> all = new ArrayList<>();
        if (!schemas.contains("pg_catalog")) {
            all.add("pg_catalog");
        }
        all.addAll(schemas);
        return all;
    }

    /** A search_path value as PostgreSQL reads it: quoted names kept, others folded, "$user" replaced. */
    static List<String> schemas(String path, Optional<String> user) {
        List<String> schemas = new ArrayList<>();
        for (String part : path.split(",")) {
            String p = part.trim();
            if (p.isEmpty() || p.equals("\"\"") || p.equals("''")) {
                continue;
            }
            if (p.equals("\"$user\"") || p.equals("$user")) {
                user.ifPresent(schemas::add);
                continue;
            }
            schemas.add(p.startsWith("\"") ? p.substring(1, p.length() - 1).replace("\"\"", "\"")
                    : p.toLowerCase(Locale.ROOT));
        }
        return schemas;
    }
}
