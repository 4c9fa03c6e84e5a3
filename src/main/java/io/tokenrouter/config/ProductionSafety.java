package io.tokenrouter.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a production gateway refuses to start with (seed 001): an admin token that is missing or a
 * placeholder, CORS open to every origin, and provider secrets stored in the database without the
 * master key that decrypts them. Dev mode allows all of it.
 */
public final class ProductionSafety {
  static final int MIN_TOKEN_LENGTH = 16;
  /** Tokens copied from examples and seeds: known to anyone who read them. */
  private static final Set<String> PLACEHOLDERS = Set.of("admin-secret-token", "admin-secret", "changeme",
      "change-me", "change_me", "admin", "secret", "password", "token", "test", "tokenrouter");

  private ProductionSafety() {}

  /**
   * @param secretsStored whether the database holds encrypted provider secrets
   * @param masterKeySet whether TOKENROUTER_MASTER_KEY is set
   */
  public static List<String> problems(GatewayConfig config, boolean secretsStored, boolean masterKeySet) {
    List<String> problems = new ArrayList<>();
    if (config.mode() != Mode.PRODUCTION) {
      return problems;
    }
    String token = config.admin().token();
    String devHint = " (mode is production" + (config.database().embedded() ? "" : ", the default with PostgreSQL")
        + "; set mode: dev on a developer's machine)";
    if (token == null || token.isBlank()) {
      problems.add("admin.token: production mode needs an admin token, e.g."
          + " admin: { token: ${TOKENROUTER_ADMIN_TOKEN} } with a value from `openssl rand -base64 32`" + devHint);
    } else if (token.length() < MIN_TOKEN_LENGTH || PLACEHOLDERS.contains(token.toLowerCase(Locale.ROOT))) {
      problems.add("admin.token: a placeholder or a token shorter than " + MIN_TOKEN_LENGTH
          + " characters is refused in production; generate one with `openssl rand -base64 32`" + devHint);
    }
    if (config.server().corsOrigins().contains("*")) {
      problems.add("server.cors_origins: '*' lets every web page call the gateway with a user's key;"
          + " list the origins that may, e.g. [https://console.example.com]" + devHint);
    }
    if (secretsStored && !masterKeySet) {
      problems.add("TOKENROUTER_MASTER_KEY: the database holds encrypted provider secrets, and without the master"
          + " key they cannot be decrypted; set it to the base64 key they were encrypted with");
    }
    return problems;
  }
}
