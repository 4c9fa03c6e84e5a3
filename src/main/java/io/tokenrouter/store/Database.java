package io.tokenrouter.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.DatabaseConfig;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The connection pool and the schema. Opening it runs the Flyway migrations, so a database is
 * either ready or the start fails with a message naming it (password masked).
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final String maskedUrl;

  private Database(HikariDataSource dataSource, String maskedUrl) {
    this.dataSource = dataSource;
    this.maskedUrl = maskedUrl;
  }

  public static Database open(DatabaseConfig config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(jdbcUrl(config.url()));
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
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new ConfigException("database.url: cannot connect to " + config.maskedUrl() + ": " + rootMessage(e));
    }
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
    return new Database(ds, config.maskedUrl());
  }

  /** H2 file databases get PostgreSQL compatibility and a lock mode that survives a crash. */
  private static String jdbcUrl(String url) {
    if (url.startsWith("jdbc:h2:") && !url.toUpperCase().contains("MODE=")) {
      return url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }
    return url;
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

  /** True when a connection can be had and is valid within a second. */
  public boolean reachable() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(1);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
