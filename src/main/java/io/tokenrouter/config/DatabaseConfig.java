package io.tokenrouter.config;

import java.time.Duration;

/**
 * JDBC settings; the embedded default is an H2 file under ./data.
 *
 * @param connectionTimeout how long to wait for a connection, at start and on every borrow: a
 *     database that does not answer within it fails the start, and at run time fails the write
 *     (usage records then go to the spool) instead of stalling the caller
 */
public record DatabaseConfig(String url, String username, String password, Integer poolSize,
    Duration connectionTimeout) {
  public static final String EMBEDDED_URL = "jdbc:h2:file:./data/tokenrouter";

  public DatabaseConfig {
    url = url == null ? EMBEDDED_URL : url;
    username = username == null ? "" : username;
    password = password == null ? "" : password;
    poolSize = poolSize == null ? 8 : poolSize;
    connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(5) : connectionTimeout;
  }

  public DatabaseConfig(String url, String username, String password, Integer poolSize) {
    this(url, username, password, poolSize, null);
  }

  /** The URL with any password parameter masked, safe for logs and error messages. */
  public String maskedUrl() {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("//([^/:@]+):[^/@]*@", "//$1:****@");
  }
}
