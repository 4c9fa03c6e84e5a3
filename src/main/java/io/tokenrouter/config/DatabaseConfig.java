package io.tokenrouter.config;

/** JDBC settings; the embedded default is an H2 file under ./data. */
public record DatabaseConfig(String url, String username, String password, Integer poolSize) {
  public static final String EMBEDDED_URL = "jdbc:h2:file:./data/tokenrouter";

  public DatabaseConfig {
    url = url == null ? EMBEDDED_URL : url;
    username = username == null ? "" : username;
    password = password == null ? "" : password;
    poolSize = poolSize == null ? 8 : poolSize;
  }

  /** The URL with any password parameter masked, safe for logs and error messages. */
  public String maskedUrl() {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("//([^/:@]+):[^/@]*@", "//$1:****@");
  }
}
