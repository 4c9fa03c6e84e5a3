package io.tokenrouter.cli;

import io.tokenrouter.config.AdminTokenFile;
import io.tokenrouter.config.GatewayConfig;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Where a command sends its admin requests. A gateway serving the configured database is asked
 * through its admin API (the embedded database cannot be opened twice, and the gateway announces
 * changes to its peers at once); otherwise the command opens the database itself
 * ({@link LocalAdmin}). When neither works the error names both causes, e.g. "the database file
 * is in use by another process, and the gateway at http://127.0.0.1:8080 refused the admin token".
 */
final class AdminSession implements AutoCloseable {
  static final String TOKEN_ENV = "TOKENROUTER_ADMIN_TOKEN";
  private final AdminClient client;
  private final LocalAdmin local;
  private final String where;

  private AdminSession(AdminClient client, LocalAdmin local, String where) {
    this.client = client;
    this.local = local;
    this.where = where;
  }

  /**
   * @param url the gateway to use, given with --url: then only that gateway, never the database;
   *     null: {@code admin.url}, or the configured server address, if a gateway serves the same
   *     database there
   * @param notes where to say which way was taken and why
   */
  static AdminSession open(GatewayConfig config, String url, Map<String, String> env, PrintWriter notes) {
    String base = trim(url != null ? url : config.adminUrl());
    String configured = config.admin().enabled() ? config.admin().token() : null;
    AdminTokenFile devFile = AdminTokenFile.of(config.database()).orElse(null);
    String token = configured != null ? configured : devFile == null ? null : devFile.read().orElse(null);
    String tokenSource = configured != null ? (env.containsKey(TOKEN_ENV) ? TOKEN_ENV : "admin.token")
        : token != null ? "the dev token file " + devFile.path() : null;
    GatewayProbe.Answer answer = GatewayProbe.probe(base, token);
    String database = config.database().location();
    if (answer instanceof GatewayProbe.Answer.Gateway g && g.database().equals(database)) {
      return new AdminSession(new AdminClient(base, token, Map.of()), null, "through the gateway at " + base);
    }
    String why = why(answer, base, database, token, tokenSource);
    if (url != null) {
      throw new CliException(capitalize(why) + ".");
    }
    LocalAdmin local;
    try {
      local = LocalAdmin.open(config, "cli:" + System.getProperty("user.name", "unknown"));
    } catch (CliException e) {
      throw new CliException(e.getMessage() + ", and " + why + ".");
    }
    if (!(answer instanceof GatewayProbe.Answer.Refused)) {
      notes.println("note: working on the database directly, because " + why
          + "; running gateways apply the change within auth.cache_ttl");
    }
    return new AdminSession(local.client(), local, "directly in " + database);
  }

  /** Why the gateway's admin API could not be used, as the second half of a sentence. */
  private static String why(GatewayProbe.Answer answer, String base, String database, String token,
      String tokenSource) {
    return switch (answer) {
      case GatewayProbe.Answer.Gateway g -> "the gateway at " + base + " serves another database (" + g.database()
          + ", this configuration names " + database + ")";
      case GatewayProbe.Answer.Refused r -> "nothing listens at " + base
          + " (if the gateway runs elsewhere, pass --url http://HOST:PORT)";
      case GatewayProbe.Answer.Silent s -> "the gateway at " + base + " does not answer";
      case GatewayProbe.Answer.Unauthorized u -> token == null
          ? "the gateway at " + base + " wants its admin token: set " + TOKEN_ENV
          : "the gateway at " + base + " refused the admin token from " + tokenSource + ": set " + TOKEN_ENV
              + " to the token it runs with";
      case GatewayProbe.Answer.NoAdminApi n -> base + " has no TokenRouter admin API (HTTP " + n.status()
          + "; a gateway serves it only when admin.token is set, or in dev mode on the embedded database)";
      case GatewayProbe.Answer.Unreachable u -> base + " cannot be reached: " + u.why();
    };
  }

  AdminClient client(Map<String, String> fieldOptions) {
    return client.withOptions(fieldOptions);
  }

  /** "through the gateway at URL" or "directly in DATABASE". */
  String where() {
    return where;
  }

  @Override
  public void close() {
    if (local != null) {
      local.close();
    }
  }

  private static String trim(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
