package io.tokenrouter.support;

import io.tokenrouter.config.DatabaseConfig;
import io.tokenrouter.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * One test database, migrated on first use. Made by {@link TestDatabases}; its {@code toString}
 * names the engine, so parameterized test names read "[1] H2", "[2] PostgreSQL". Not
 * AutoCloseable on purpose: JUnit closes such arguments after every parameterized invocation,
 * and one database serves a whole test class; call {@link #drop()} once, after all.
 */
public final class TestDatabase {
  private final String engine;
  private final String url;
  private final String postgresSchema;
  private Database database;
  private boolean schemaCreated;

  TestDatabase(String engine, String url, String postgresSchema) {
    this.engine = engine;
    this.url = url;
    this.postgresSchema = postgresSchema;
  }

  /** The migrated database; aborts (or, under CI, fails) the calling test when PostgreSQL is down. */
  public synchronized Database database() {
    if (database == null) {
      if (postgresSchema != null) {
        createSchema();
      }
      database = Database.open(new DatabaseConfig(url, null, null, 4, Duration.ofSeconds(3)));
    }
    return database;
  }

  public DataSource dataSource() {
    return database().dataSource();
  }

  public boolean isPostgres() {
    return postgresSchema != null;
  }

  /**
   * The JDBC URL of this PostgreSQL schema reached through another local port (a proxy). The
   * schema is created, not migrated: whoever connects through the port runs the migrations.
   */
  public synchronized String postgresUrlThrough(int port) {
    if (postgresSchema == null) {
      throw new IllegalStateException(engine + " is not reached through a port");
    }
    createSchema();
    return TestDatabases.postgresUrl(port, postgresSchema);
  }

  private void createSchema() {
    if (schemaCreated) {
      return;
    }
    try (Connection c = TestDatabases.adminConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + postgresSchema);
      schemaCreated = true;
    } catch (SQLException e) {
      String why = "PostgreSQL at " + TestDatabases.postgresUrl(TestDatabases.POSTGRES_PORT, null)
          + " is unreachable: " + e.getMessage();
      if (TestDatabases.inCi()) {
        throw new AssertionError(why + " (CI is set, so this fails instead of being skipped)", e);
      }
      Assumptions.abort(why);
    }
  }

  /** Closes the pool and drops the PostgreSQL schema, if either was made. */
  public synchronized void drop() {
    if (database != null) {
      database.close();
    }
    if (schemaCreated) {
      try (Connection c = TestDatabases.adminConnection(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + postgresSchema + " CASCADE");
      } catch (SQLException e) {
        throw new AssertionError("dropping test schema " + postgresSchema + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return engine;
  }
}
