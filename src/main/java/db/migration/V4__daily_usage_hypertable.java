package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code daily_usage} into a TimescaleDB hypertable where TimescaleDB can be had, and
 * leaves it a plain table everywhere else (H2, PostgreSQL without the extension). A Java
 * migration because SQL alone cannot make that decision portably, and one migration set must
 * serve both databases.
 *
 * <p>The extension must be both installed (pg_available_extensions) and preloaded
 * (shared_preload_libraries): {@code CREATE EXTENSION} fails without the preload, and a server
 * that merely ships the package should not stop the gateway from starting.
 */
public class V4__daily_usage_hypertable extends BaseJavaMigration {
  private static final Logger log = LoggerFactory.getLogger(V4__daily_usage_hypertable.class);

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
      return;
    }
    try (Statement s = c.createStatement()) {
      if (!exists(s, "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")) {
        return;
      }
      if (!exists(s, "SELECT 1 WHERE current_setting('shared_preload_libraries') LIKE '%timescaledb%'")) {
        log.warn("TimescaleDB is installed but not in shared_preload_libraries; daily_usage stays a plain table");
        return;
      }
      s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
      s.execute("SELECT create_hypertable('daily_usage', 'time', if_not_exists => TRUE, migrate_data => TRUE)");
    }
  }

  private static boolean exists(Statement s, String query) throws SQLException {
    try (ResultSet rs = s.executeQuery(query)) {
      return rs.next();
    }
  }
}
