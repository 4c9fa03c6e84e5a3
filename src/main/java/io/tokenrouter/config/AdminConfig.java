package io.tokenrouter.config;

/**
 * The admin API under {@code /admin}: enabled only when a token is set (write it as ${ENV_VAR}),
 * and then only for requests bearing it. In dev mode on the embedded database a missing token is
 * generated instead ({@link AdminTokenFile}).
 *
 * @param url where the command line reaches a running gateway's admin API; default
 *     {@code http://<server.host>:<server.port>}
 */
public record AdminConfig(String token, String url) {
  public boolean enabled() {
    return token != null && !token.isBlank();
  }

  public AdminConfig withToken(String newToken) {
    return new AdminConfig(newToken, url);
  }
}
