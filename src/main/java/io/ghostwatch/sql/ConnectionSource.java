package io.ghostwatch.sql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens one more connection to the same database (a pool's, in the service): for a full scan's other slices and
 * a fix's commit probe.
 */
@FunctionalInterface
public interface ConnectionSource {
    Connection open() throws SQLException;
}
