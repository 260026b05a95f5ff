package io.ghostwatch.diagnose;

import java.util.List;

/** A trigger that exists and is enabled but is not an AFTER INSERT … FOR EACH ROW trigger without WHEN. */
final class TriggerShapeRule implements CauseRule {

    private static final int ROW = 1;
    private static final int INSERT = 4;
    private static final int UPDATE = 16;

    @Override
    public void find(CauseContext ctx, List<Cause> causes) {
        // A condition the signup path reads (the profile made on confirmation, guests skipped) is the design:
        // the contract covers only the identities it selects.
        boolean designed = ctx.schema().selection().isPresent();
        boolean madeOnUpdate = ctx.schema().selection().map(s -> s.onUpdate()).orElse(false);
        ctx.function().ifPresent(f -> {
            if (f.hasWhen() && !designed) {
                causes.add(Cause.certain(CauseCode.TRIGGER_WHEN_CLAUSE, Cause.Effect.LEAVES_GHOSTS, "the sync trigger has a"
                        + " WHEN condition: identities that do not match it get no profile", f.triggerDefinition(),
                        "drop the WHEN clause (recreate the trigger from the sync migration)"));
            }
            if ((f.triggerType() & ROW) == 0) {
                causes.add(Cause.certain(CauseCode.TRIGGER_STATEMENT_LEVEL, Cause.Effect.FAILS_EVERY_SIGNUP, "the sync"
                        + " trigger is FOR EACH STATEMENT: it sees no NEW row, so no signup gets a profile",
                        f.triggerDefinition(), "recreate it FOR EACH ROW"));
            }
            if ((f.triggerType() & INSERT) == 0 && !(madeOnUpdate && (f.triggerType() & UPDATE) != 0)) {
                causes.add(Cause.certain(CauseCode.TRIGGER_NOT_ON_INSERT, Cause.Effect.FAILS_EVERY_SIGNUP, "the sync trigger"
                        + " does not fire on INSERT, so no signup gets a profile", f.triggerDefinition(),
                        "recreate it AFTER INSERT"));
            }
        });
    }
}
