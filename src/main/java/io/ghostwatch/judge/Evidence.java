package io.ghostwatch.judge;

import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.path.TakenSince;
import io.ghostwatch.path.WriteWatch;
import io.ghostwatch.signups.Blocker;
import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.signups.SignupKinds;
import io.ghostwatch.snapshot.Snapshot;

import java.util.List;
import java.util.Optional;

/**
 * What one run knows, side by side: the read-only snapshot, the signup canary's result (when it ran), the
 * causes read from the catalog, the signups attempted since the last check (when history keeps the count), the
 * sessions whose locks signups wait for, the profile contract as the signup path defines it, and the write rates of
 * the other tables the path writes on INSERT (when history keeps the counts), and the missing rows of the
 * contracts besides the profile's (declared, and discovered on the path), and the ghosts an earlier check saw left
 * out by design (when history kept them), and, while signups roll back, the kinds that committed. Composed by
 * {@code run/}; judged here.
 */
public record Evidence(Snapshot snapshot, Optional<CanaryResult> canary, List<Cause> causes,
                       Optional<SignupActivity> signups, List<Blocker> blockers, Optional<ProfileContract> contract,
                       List<WriteWatch> writeWatches, List<ContractRows> contractRows,
                       Optional<TakenSince> takenSince, Optional<SignupKinds> kinds) {

    public Evidence(Snapshot snapshot, Optional<CanaryResult> canary, List<Cause> causes,
                    Optional<SignupActivity> signups, List<Blocker> blockers, Optional<ProfileContract> contract,
                    List<WriteWatch> writeWatches, List<ContractRows> contractRows, Optional<TakenSince> takenSince) {
        this(snapshot, canary, causes, signups, blockers, contract, writeWatches, contractRows, takenSince,
                Optional.empty());
    }

    public Evidence(Snapshot snapshot, Optional<CanaryResult> canary, List<Cause> causes,
                    Optional<SignupActivity> signups, List<Blocker> blockers, Optional<ProfileContract> contract,
                    List<WriteWatch> writeWatches, List<ContractRows> contractRows) {
        this(snapshot, canary, causes, signups, blockers, contract, writeWatches, contractRows, Optional.empty());
    }

    public Evidence {
        causes = List.copyOf(causes);
        blockers = List.copyOf(blockers);
        writeWatches = List.copyOf(writeWatches);
        contractRows = List.copyOf(contractRows);
    }

    public Evidence(Snapshot snapshot, Optional<CanaryResult> canary, List<Cause> causes,
                    Optional<SignupActivity> signups, List<Blocker> blockers, Optional<ProfileContract> contract,
                    List<WriteWatch> writeWatches) {
        this(snapshot, canary, causes, signups, blockers, contract, writeWatches, List.of());
    }

    public Evidence(Snapshot snapshot, Optional<CanaryResult> canary, List<Cause> causes,
                    Optional<SignupActivity> signups, List<Blocker> blockers, Optional<ProfileContract> contract) {
        this(snapshot, canary, causes, signups, blockers, contract, List.of());
    }

    public Evidence(Snapshot snapshot, Optional<CanaryResult> canary, List<Cause> causes,
                    Optional<SignupActivity> signups, List<Blocker> blockers) {
        this(snapshot, canary, causes, signups, blockers, Optional.empty());
    }

    public Evidence(Snapshot snapshot, Optional<CanaryResult> canary, List<Cause> causes) {
        this(snapshot, canary, causes, Optional.empty(), List.of());
    }

    public static Evidence of(Snapshot snapshot) {
        return new Evidence(snapshot, Optional.empty(), List.of());
    }
}
