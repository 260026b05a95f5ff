package io.ghostwatch.diagnose;

import java.sql.SQLException;
import java.util.List;

/** One known cause: reads what it needs (catalog only, read-only) and adds what it finds. */
interface CauseRule {

    void find(CauseContext context, List<Cause> causes) throws SQLException;
}
