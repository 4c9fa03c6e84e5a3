package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Whether a database already has this build's schema, read from Flyway's history with one query.
 * Every start of a gateway after its first finds that it has, and then does not load Flyway at
 * all: configuring it, finding the migrations in the jar and validating them was 12% of a start's
 * main thread (bench/RESULTS-capacity.md §3). Anything else (no history, an older schema, a
 * newer one, a failed migration last) is Flyway's to migrate or to refuse, as before.
 */
final class SchemaHistory {
  /** The newest migration in the jar, {@code db/migration/V12__…}; a test holds the two together. */
  static final String LATEST = "12";

  private SchemaHistory() {}

  static boolean current(DataSource dataSource) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.setMaxRows(1);
      try (ResultSet last = s.executeQuery(
          "SELECT version, success FROM flyway_schema_history ORDER BY installed_rank DESC")) {
        return last.next() && last.getBoolean(2) && LATEST.equals(last.getString(1));
      }
    } catch (SQLException noHistoryYet) {
      return false;
    }
  }
}
