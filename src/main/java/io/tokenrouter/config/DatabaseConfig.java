package io.tokenrouter.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * JDBC settings; the embedded default is an H2 file under ./data. Every database call is bounded
 * by the three timeouts, so a database that stops answering fails calls within seconds (usage
 * records then go to the spool) instead of holding threads forever.
 *
 * @param connectionTimeout how long to wait for a connection, at start and on every borrow
 *     (including opening a new one): a database that does not answer within it fails the start,
 *     and at run time fails the call instead of stalling the caller
 * @param socketTimeout the longest wait for any answer on an open PostgreSQL connection: a
 *     database whose packets are dropped without a reset (a host gone, a network partition)
 *     fails the call within it (whole seconds; longer than {@code statementTimeout}, so a slow
 *     statement is cancelled by the database, with its own error, before the socket gives up)
 * @param statementTimeout the longest a statement may run before the database cancels it
 */
public record DatabaseConfig(String url, String username, String password, Integer poolSize,
    Duration connectionTimeout, Duration socketTimeout, Duration statementTimeout) {
  public static final String EMBEDDED_URL = "jdbc:h2:file:./data/tokenrouter";
  private static final String H2 = "jdbc:h2:";

  public DatabaseConfig {
    url = url == null ? EMBEDDED_URL : url;
    username = username == null ? "" : username;
    password = password == null ? "" : password;
    poolSize = poolSize == null ? 8 : poolSize;
    connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(5) : connectionTimeout;
    socketTimeout = socketTimeout == null ? Duration.ofSeconds(10) : socketTimeout;
    statementTimeout = statementTimeout == null ? Duration.ofSeconds(5) : statementTimeout;
  }

  public DatabaseConfig(String url, String username, String password, Integer poolSize) {
    this(url, username, password, poolSize, null);
  }

  public DatabaseConfig(String url, String username, String password, Integer poolSize,
      Duration connectionTimeout) {
    this(url, username, password, poolSize, connectionTimeout, null, null);
  }

  public boolean isPostgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  /** The URL with any password parameter masked, safe for logs and error messages. */
  public String maskedUrl() {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("//([^/:@]+):[^/@]*@", "//$1:****@");
  }

  /** H2, in a file or in memory: a database inside the gateway's own process. */
  public boolean embedded() {
    return url.startsWith(H2);
  }

  /**
   * The H2 database file's path without H2's {@code .mv.db} suffix, absolute (H2 resolves a
   * relative one against the working directory); empty for PostgreSQL and in-memory H2.
   */
  public Optional<Path> h2File() {
    if (!embedded()) {
      return Optional.empty();
    }
    String rest = url.substring(H2.length());
    int options = rest.indexOf(';');
    String name = options < 0 ? rest : rest.substring(0, options);
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file:")) {
      name = name.substring("file:".length());
    } else if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:")
        || lower.startsWith("zip:") || lower.startsWith("split:") || lower.startsWith("nio")) {
      return Optional.empty();
    }
    if (name.startsWith("~")) {
      name = System.getProperty("user.home") + name.substring(1);
    }
    return Optional.of(Path.of(name).toAbsolutePath().normalize());
  }

  /**
   * Which database this is, comparable between processes: the absolute file of an H2 database
   * (wherever each process was started), else the URL with its password masked.
   */
  public String location() {
    return h2File().map(f -> H2 + "file:" + f).orElseGet(this::maskedUrl);
  }
}
