package io.tokenrouter.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The databases every repository test runs against: H2 in memory (always there) and the real
 * PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code postgres}), in a schema of
 * its own that is dropped on close.
 *
 * <p>When PostgreSQL cannot be reached, its variant is skipped on a developer machine and fails
 * when the environment variable {@code CI} is set, so a CI run cannot go green on H2 alone.
 */
public final class TestDatabases {
  static final String POSTGRES_HOST = "127.0.0.1";
  public static final int POSTGRES_PORT = 5432;

  private TestDatabases() {}

  /** One of each, for a {@code @MethodSource}; nothing is connected until first used. */
  public static List<TestDatabase> both() {
    return List.of(h2(), postgres());
  }

  public static TestDatabase h2() {
    return new TestDatabase("H2", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null);
  }

  /** PostgreSQL in a fresh schema {@code t_<random>}, created when first used. */
  public static TestDatabase postgres() {
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return new TestDatabase("PostgreSQL", postgresUrl(POSTGRES_PORT, schema), schema);
  }

  /** The URL of {@code schema} on the PostgreSQL server as seen through {@code port}. */
  static String postgresUrl(int port, String schema) {
    String url = "jdbc:postgresql://" + POSTGRES_HOST + ":" + port + "/test?user=postgres";
    return schema == null ? url : url + "&currentSchema=" + schema;
  }

  static Connection adminConnection() throws SQLException {
    DriverManager.setLoginTimeout(3);
    return DriverManager.getConnection(postgresUrl(POSTGRES_PORT, null));
  }

  static boolean inCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci);
  }
}
