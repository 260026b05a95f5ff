package io.ghostwatch.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghostwatch.path.ContractSelection;
import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.DeleteSkip;
import io.ghostwatch.path.PathTrigger;
import io.ghostwatch.path.WriteWatch;
import io.ghostwatch.path.PathWrite;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.path.SignupPath;
import io.ghostwatch.path.TableContract;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The signup path and the profile contract, for the JSON reports ({@code check}, {@code diagnose}) and the
 * table reports. Names, conditions and counts only: function text is never copied out.
 */
public final class PathJson {

    private PathJson() {
    }

    /**
     * {@code contract}: the profile table, which identities must have a profile, whether that is applied, and how
     * many identities without a profile it leaves out by design. Null when the check did not resolve it.
     */
    public static void contract(ObjectNode root, Optional<ProfileContract> contract, long leftOutByDesign) {
        if (contract.isEmpty()) {
            root.putNull("contract");
            return;
        }
        ObjectNode c = root.putObject("contract");
        c.put("table", contract.get().table());
        Optional<ContractSelection> s = contract.flatMap(ProfileContract::selection);
        boolean applied = contract.map(ProfileContract::applied).orElse(false);
        c.put("selects", applied ? s.get().condition().text() : "every identity");
        c.put("agedFrom", applied ? s.get().agedFrom().orElse(null) : null);
        c.put("madeOnUpdate", applied && s.get().onUpdate());
        ArrayNode writers = c.putArray("writtenBy");
        contract.map(ProfileContract::writers).orElse(List.of()).forEach(writers::add);
        c.put("source", contract.get().unread() ? "signup path, which could not be read"
                : contract.get().path().isEmpty() ? "configuration (ghostwatch.profile.selection=all)"
                : contract.get().rememberedFrom().isPresent() ? "signup path as last seen at "
                + contract.get().rememberedFrom().get() + " (nothing on it writes the table now)"
                : s.isEmpty() ? "no trigger on the identity table writes it" : "signup path");
        c.put("notApplied", contract.flatMap(ProfileContract::notApplied).orElse(null));
        c.put("syncTrigger", contract.flatMap(ProfileContract::syncTrigger).orElse(null));
        c.put("leftOutByDesign", leftOutByDesign);
    }

    /** {@code signupPath}: triggers, writes and what could not be read; null when the path was not read. */
    public static void path(ObjectNode root, Optional<SignupPath> path) {
        if (path.isEmpty()) {
            root.putNull("signupPath");
            return;
        }
        ObjectNode p = root.putObject("signupPath");
        ArrayNode triggers = p.putArray("triggers");
        for (PathTrigger t : path.get().triggers()) {
            ObjectNode node = triggers.addObject().put("name", t.name()).put("timing", t.timing());
            ArrayNode events = node.putArray("events");
            t.events().stream().sorted().forEach(events::add);
            node.put("rowLevel", t.rowLevel()).put("tgenabled", t.tgenabled()).put("when", t.when().orElse(null))
                    .put("function", t.function()).put("language", t.language());
        }
        ArrayNode writes = p.putArray("writes");
        for (PathWrite w : path.get().writes()) {
            ObjectNode node = writes.addObject().put("trigger", w.trigger()).put("verb", w.verb())
                    .put("table", w.where()).put("found", w.schema().isPresent())
                    .put("keyColumn", w.keyColumn().orElse(null))
                    .put("condition", w.condition().always() ? null : w.condition().text())
                    .put("translatable", w.condition().translatable())
                    .put("notTranslatable", w.condition().untranslatable().orElse(null));
            ArrayNode via = node.putArray("via");
            w.via().forEach(via::add);
        }
        ArrayNode skips = p.putArray("deleteSkips");
        for (DeleteSkip d : path.get().deleteSkips()) {
            skips.addObject().put("by", d.by()).put("how", d.how())
                    .put("condition", d.when().always() ? null : d.when().text());
        }
        ArrayNode notes = p.putArray("notes");
        path.get().notes().forEach(notes::add);
    }

    /** {@code pathWrites}: the write rate of each other table the path writes on INSERT, when history keeps it. */
    public static void watches(ObjectNode root, List<WriteWatch> watches) {
        ArrayNode all = root.putArray("pathWrites");
        for (WriteWatch w : watches) {
            ObjectNode node = all.addObject().put("table", w.table())
                    .put("condition", w.condition().always() ? null : w.condition().text());
            w.signupsSinceWrite().ifPresentOrElse(n -> node.put("signupsSinceWrite", n),
                    () -> node.putNull("signupsSinceWrite"));
            node.put("lastWrittenAt", w.grewAt().map(Object::toString).orElse(null));
        }
    }

    /**
     * {@code contracts}: each contract besides the profile's (declared, or discovered on the path and counted):
     * its missing rows, or why it could not be checked.
     */
    public static void contracts(ObjectNode root, List<ContractRows> contracts) {
        ArrayNode all = root.putArray("contracts");
        for (ContractRows r : contracts) {
            TableContract t = r.contract();
            ObjectNode node = all.addObject().put("name", t.name())
                    .put("origin", t.discovered() ? "discovered" : "declared")
                    .put("table", t.where())
                    .put("keyColumn", t.keyColumn())
                    .put("condition", t.selects().always() ? null : t.selects().text())
                    .put("agedFrom", t.agedFrom().orElse(null))
                    .put("graceSeconds", t.grace().toSeconds());
            if (r.unknown().isPresent()) {
                node.putNull("missing");
            } else {
                node.put("missing", r.missing());
            }
            node.put("oldestMissingDueAt", r.oldestMissing().map(Object::toString).orElse(null));
            ArrayNode sample = node.putArray("sample");
            r.sample().forEach(sample::add);
            if (r.unknown().isPresent()) {
                node.putNull("orphans");
            } else {
                node.put("orphans", r.orphans());
            }
            ArrayNode orphanSample = node.putArray("orphanSample");
            r.tally().ifPresent(k -> k.orphanSample().forEach(orphanSample::add));
            node.put("carried", r.carried());
            node.put("countedAt", r.tally().map(k -> k.countedAt().toString()).orElse(null));
            node.put("unknown", r.unknown().orElse(null));
        }
    }

    /** The path as lines for a table report. */
    public static List<String> lines(SignupPath path) {
        List<String> lines = new ArrayList<>();
        for (PathTrigger t : path.triggers()) {
            lines.add("trigger " + t.name() + ": " + t.timing() + " " + String.join(" OR ", t.events().stream()
                    .sorted().toList()) + (t.rowLevel() ? "" : " (FOR EACH STATEMENT)") + t.when().map(w -> " WHEN "
                    + w).orElse("") + " -> " + t.function() + " (tgenabled " + t.tgenabled() + ")");
        }
        for (PathWrite w : path.writes()) {
            lines.add("  " + w.verb() + " " + w.where() + w.keyColumn().map(k -> " keyed by " + k)
                    .orElse(" (key column not shown)") + " from " + w.trigger()
                    + (w.via().size() > 1 ? " via " + String.join(" -> ", w.via()) : "")
                    + (w.condition().always() ? ", for every identity" : ", when " + w.condition().text()
                    + (w.condition().translatable() ? "" : " [not translatable: "
                    + w.condition().untranslatable().orElse("") + "]")));
        }
        path.deleteSkips().forEach(d -> lines.add("  deletes skipped by " + d.describe()));
        path.notes().forEach(n -> lines.add("  note: " + n));
        return lines;
    }
}
