package io.tokenrouter.config;

/**
 * The admin API under {@code /admin}: enabled only when a token is set, and then only for
 * requests bearing it. Write it as ${ENV_VAR}.
 */
public record AdminConfig(String token) {
  public boolean enabled() {
    return token != null && !token.isBlank();
  }
}
