package io.ghostwatch.diagnose;

import java.util.List;

/** A function without a fixed search_path resolves its names through the caller's (Supabase's auth: "auth"). */
final class SearchPathRule implements CauseRule {

    @Override
    public void find(CauseContext ctx, List<Cause> causes) {
        ctx.function().filter(f -> f.fixedSearchPath().isEmpty()).ifPresent(f -> causes.add(Cause.certain(CauseCode.FUNCTION_SEARCH_PATH_NOT_FIXED, Cause.Effect.LEAVES_GHOSTS, f.name() + " resolves names through"
                        + " the caller's search_path" + ctx.signup().flatMap(s -> s.get("search_path"))
                        .map(p -> " (" + ctx.signup().get().role() + " logs in with search_path = " + p + ")")
                        .orElse(""), "proconfig has no search_path", "ALTER FUNCTION " + f.name()
                        + " SET search_path = ''; and schema-qualify the tables in its body")));
    }
}
