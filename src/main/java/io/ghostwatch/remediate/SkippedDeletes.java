package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.path.DeleteSkip;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.path.SignupPath;
import io.ghostwatch.run.CheckOutcome;

import java.util.List;
import java.util.Optional;

/**
 * Why a backfill must not run unreviewed while a delete of an identity can do nothing: which identities were
 * deleted and skipped, nothing in the database says, so any row it writes may be for a user who asked to be
 * deleted. One refusal for every backfill (the profile's, a contract's).
 */
final class SkippedDeletes {

    private SkippedDeletes() {
    }

    /**
     * The refusal, unless the operator reviewed them ({@code reviewed}); {@code what} names the rows a backfill
     * would give back, {@code review} the command that lists them.
     */
    static Optional<String> refusal(Settings settings, CheckOutcome outcome, boolean reviewed, String what,
                                    String review) {
        List<DeleteSkip> skips = outcome.evidence().contract().flatMap(ProfileContract::path)
                .map(SignupPath::deleteSkips).orElse(List.of());
        if (skips.isEmpty() || reviewed) {
            return Optional.empty();
        }
        return Optional.of("a delete of an identity in " + settings.schema().identityTable() + " can do nothing ("
                + String.join("; ", skips.stream().map(DeleteSkip::describe).toList()) + "), so " + what
                + " may be a user who asked to be deleted, and a backfill would give them their row back: review"
                + " them (" + review + ") and let those deletes through, then backfill; --deletes-skipped-ok"
                + " backfills anyway");
    }
}
