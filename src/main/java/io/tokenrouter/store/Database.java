package io.tokenrouter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.DatabaseConfig;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The connection pool and the schema. Opening it runs the Flyway migrations unless the schema is
 * already this build's ({@link SchemaHistory}), so a database is either ready or the start fails
 * with a message naming it (password masked).
 *
 * <p>Every call through the pool has a deadline: waiting for a connection
 * ({@code connection_timeout}, which also bounds opening one and checking it), reading from one
 * ({@code socket_timeout}, PostgreSQL), and running a statement ({@code statement_timeout}, set
 * on every connection the pool opens). Flyway's own connections at start have no statement
 * deadline: a migration may rightly take long.
 */
public final class Database implements AutoCloseable {
  /** Checking a pooled connection before handing it out: a ping, at most this long. */
  private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(1);
  private static final int H2_CACHE_KB = 2048;
  private static final int H2_WRITE_DELAY_MS = 100;
  private final HikariDataSource dataSource;
  private final String maskedUrl;
  private final DatabaseProbe probe;

  private Database(HikariDataSource dataSource, String maskedUrl) {
    this.dataSource = dataSource;
    this.maskedUrl = maskedUrl;
    this.probe = new DatabaseProbe(dataSource);
  }

  public static Database open(DatabaseConfig config) {
    return open(config, false);
  }

  /**
   * @param ownerCloses the caller closes the database itself at exit, after its last writes (a
   *     gateway drains its usage records then): an embedded H2 must not close it first when the
   *     JVM begins to exit, as it does by default, or those writes fail and go to the spool
   */
  public static Database open(DatabaseConfig config, boolean ownerCloses) {
    HikariConfig hikari = new HikariConfig();
    String url = jdbcUrl(config.url());
    if (ownerCloses && url.startsWith("jdbc:h2:") && !setsH2(url, "DB_CLOSE_ON_EXIT")) {
      url += ";DB_CLOSE_ON_EXIT=FALSE";
    }
    hikari.setJdbcUrl(url);
    if (!config.username().isEmpty()) {
      hikari.setUsername(config.username());
    }
    if (!config.password().isEmpty()) {
      hikari.setPassword(config.password());
    }
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setPoolName("tokenrouter-db");
    long timeoutMillis = config.connectionTimeout().toMillis();
    hikari.setConnectionTimeout(timeoutMillis);
    hikari.setInitializationFailTimeout(timeoutMillis);
    hikari.setValidationTimeout(Math.min(timeoutMillis, VALIDATION_TIMEOUT.toMillis()));
    deadlines(hikari, config);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new ConfigException("database.url: cannot connect to " + config.maskedUrl() + ": " + rootMessage(e));
    }
    if (!SchemaHistory.current(ds)) {
      migrate(ds, hikari, config);
    }
    return new Database(ds, config.maskedUrl());
  }

  private static void migrate(HikariDataSource ds, HikariConfig hikari, DatabaseConfig config) {
    try {
      // Flyway gets connections of its own: on PostgreSQL it holds one for its lock while
      // migrating on another, which a pool of pool_size 1 could never hand out.
      Flyway.configure()
          .dataSource(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword())
          .locations("classpath:db/migration").load().migrate();
    } catch (FlywayException e) {
      ds.close();
      throw new ConfigException("database.url: migrating " + config.maskedUrl() + " failed: " + rootMessage(e));
    }
  }

  private static void deadlines(HikariConfig hikari, DatabaseConfig config) {
    long statementMillis = config.statementTimeout().toMillis();
    if (config.isPostgres()) {
      // Driver properties; the same settings written in the URL win over these.
      String connectSeconds = Long.toString(wholeSeconds(config.connectionTimeout()));
      hikari.addDataSourceProperty("connectTimeout", connectSeconds);
      hikari.addDataSourceProperty("loginTimeout", connectSeconds);
      hikari.addDataSourceProperty("socketTimeout", Long.toString(wholeSeconds(config.socketTimeout())));
      hikari.addDataSourceProperty("tcpKeepAlive", "true");
      hikari.setConnectionInitSql("SET statement_timeout = " + statementMillis);
    } else {
      hikari.setConnectionInitSql("SET QUERY_TIMEOUT " + statementMillis);
    }
  }

  /** The PostgreSQL driver counts its timeouts in whole seconds: rounded up, never to 0 (no limit). */
  private static long wholeSeconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  /**
   * H2 gets PostgreSQL compatibility, a page cache of {@value #H2_CACHE_KB} KB instead of
   * H2's 16 MB and a write delay of {@value #H2_WRITE_DELAY_MS} ms instead of 500, unless the URL
   * sets them. The gateway's hot path reads nothing from the database
   * (keys and prices are cached above it), and the pages it writes, the requests table's, are
   * written once: a large cache only keeps them alive for a while, long enough to survive young
   * collections. At 1,000 streams a second the 16 MB cache kept 7-8 MB of H2 pages in the
   * survivor spaces and young pauses took 6-14 ms; with 2 MB, 2 MB and 2.3-5.9 ms
   * (bench/RESULTS.md).
   *
   * <p>For the same reason H2 writes its changes to the file every {@value #H2_WRITE_DELAY_MS} ms
   * instead of its 500: the pages a write changes stay in memory until then, and at 500 ms enough
   * of them outlived a young collection to fill the old generation. Writing Responses API answers
   * at saturation, 47-65 concurrent marking cycles and 92-128 mixed collections per run became
   * 2-12 and 4-24, and the GC's CPU 38-54 µs a request 6 (chat JSON 25 → 4). The cost is a
   * chunk written up to ten times a second instead of two, about 1.2 ms of CPU each on H2's
   * threads: at 10 requests a second 1.2 ms a request against 0.3, at most about 10 ms of CPU a
   * second more (1% of a core) at any rate; idle, its writer wakes 30 times a second instead of
   * 7 (3 ms of CPU a second more).
   */
  static String jdbcUrl(String url) {
    if (!url.startsWith("jdbc:h2:")) {
      return url;
    }
    String result = url;
    if (!setsH2(url, "MODE")) {
      result += ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }
    if (!setsH2(url, "CACHE_SIZE")) {
      result += ";CACHE_SIZE=" + H2_CACHE_KB;
    }
    if (!setsH2(url, "WRITE_DELAY")) {
      result += ";WRITE_DELAY=" + H2_WRITE_DELAY_MS;
    }
    return result;
  }

  /** Whether an H2 URL sets this option (not one whose name ends the same, LOCK_MODE for MODE). */
  private static boolean setsH2(String url, String option) {
    return url.toUpperCase(Locale.ROOT).contains(";" + option + "=");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public String maskedUrl() {
    return maskedUrl;
  }

  /**
   * Whether the database answered its last probe (a connection and a ping, once a second) in
   * time. Never waits on the database: readiness and metrics may call it on an event loop.
   */
  public boolean reachable() {
    return probe.up();
  }

  @Override
  public void close() {
    probe.close();
    dataSource.close();
  }
}
