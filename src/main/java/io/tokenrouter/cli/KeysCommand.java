package io.tokenrouter.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Virtual keys, through a running gateway's admin API or directly in its database
 * ({@link AdminSession}).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Create, list, change and revoke virtual keys (also while the gateway runs).")
final class KeysCommand {
  private static final Map<String, String> FIELD_OPTIONS = fieldOptions();

  @Spec
  CommandSpec spec;

  /** --enable or --disable. */
  static final class Status {
    @Option(names = "--enable", description = "Accept the key again.") boolean enable;
    @Option(names = "--disable", description = "Refuse the key until it is enabled again.") boolean disable;
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print it once.")
  int create(
      @Mixin AdminOptions admin,
      @Option(names = "--name", required = true, description = "A name to recognise the key by.") String name,
      @Option(names = "--user", paramLabel = "EMAIL|ID",
          description = "The user the key belongs to: its plan, quota and user limits apply.") String user,
      @Option(names = "--project", description = "A project label for reports and namespace policies.") String project,
      @Option(names = "--models", split = ",", paramLabel = "PATTERN",
          description = "Models the key may use, comma-separated globs like gpt-4o* (default: all).")
      List<String> models,
      @Option(names = "--expires", paramLabel = "DATE",
          description = "Expiry, as 2027-01-31 (end of that day, UTC) or an ISO instant.") String expires,
      @Mixin LimitOptions limits) {
    JsonObject body = limits.into(new JsonObject().put("name", name));
    put(body, "user", user);
    put(body, "project_id", project);
    put(body, "expires_at", expires);
    if (models != null) {
      body.put("allowed_models", new JsonArray(models));
    }
    try (AdminSession session = admin.open(spec)) {
      JsonObject key = session.client(FIELD_OPTIONS).post("/admin/api-keys", body);
      PrintWriter out = spec.commandLine().getOut();
      out.println("id:      " + key.getString("id"));
      out.println("name:    " + key.getString("name"));
      if (key.getString("user_id") != null) {
        out.println("user:    " + key.getString("user_id"));
      }
      out.println("limits:  " + LimitOptions.describe(key));
      out.println("key:     " + key.getString("raw_key"));
      out.println("(the key is shown only now; the gateway stores its SHA-256 hash)");
      spec.commandLine().getErr().println("created " + session.where());
    }
    return 0;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never the keys themselves).")
  int list(
      @Mixin AdminOptions admin,
      @Option(names = "--user", paramLabel = "EMAIL|ID", description = "Only this user's keys.") String user,
      @Option(names = "--project", description = "Only this project's keys.") String project,
      @Option(names = "--state", description = "Only keys in this state: active, disabled, revoked, expired.")
      String state,
      @Option(names = "--name", description = "Only keys whose name contains this.") String name,
      @Option(names = "--limit", defaultValue = "100", converter = Converters.Count.class,
          description = "At most this many (default: ${DEFAULT-VALUE}).") int limit,
      @Option(names = "--offset", defaultValue = "0", description = "Skip this many first.") int offset) {
    Map<String, String> query = new HashMap<>();
    query.put("user", user);
    query.put("project_id", project);
    query.put("state", state);
    query.put("name", name);
    query.put("limit", Integer.toString(limit));
    query.put("offset", Integer.toString(offset));
    try (AdminSession session = admin.open(spec)) {
      JsonObject page = session.client(Map.of("project_id", "--project")).get("/admin/api-keys", query);
      PrintWriter out = spec.commandLine().getOut();
      String format = "%-36s  %-16s  %-13s  %-8s  %-20s  %-16s  %-24s  %s%n";
      out.printf(format, "ID", "NAME", "PREFIX", "STATE", "EXPIRES", "PROJECT", "LIMITS", "MODELS");
      for (Object item : page.getJsonArray("data")) {
        JsonObject k = (JsonObject) item;
        JsonArray allowed = k.getJsonArray("allowed_models");
        out.printf(format, k.getString("id"), k.getString("name"), k.getString("key_prefix") + "...",
            k.getString("status"), dash(k.getString("expires_at")), dash(k.getString("project_id")),
            LimitOptions.describe(k), allowed.isEmpty() ? "*" : String.join(",", allowed.stream().map(String::valueOf)
                .toList()));
      }
      if (page.getBoolean("has_more")) {
        out.println("(" + page.getLong("total") + " keys in all; next page: --offset " + page.getInteger("next_offset")
            + ")");
      }
    }
    return 0;
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Change a key's limits, budgets, allowed models, expiry, name or project, or disable it.")
  int update(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID", description = "The key's id, as `keys list` shows it.") String id,
      @Option(names = "--name", description = "A new name.") String name,
      @Option(names = "--project", description = "A new project label.") String project,
      @Option(names = "--models", split = ",", paramLabel = "PATTERN",
          description = "Models the key may use, comma-separated globs; '*' for all.") List<String> models,
      @Option(names = "--expires", paramLabel = "DATE|never", description = "A new expiry, or never.") String expires,
      @ArgGroup(exclusive = true) Status status,
      @Mixin LimitOptions limits) {
    JsonObject body = limits.into(new JsonObject());
    put(body, "name", name);
    put(body, "project_id", project);
    if (expires != null) {
      body.put("expires_at", "never".equalsIgnoreCase(expires) ? null : expires);
    }
    if (models != null) {
      body.put("allowed_models", models.equals(List.of("*")) ? new JsonArray() : new JsonArray(models));
    }
    if (status != null) {
      body.put("status", status.enable ? "enabled" : "disabled");
    }
    if (body.isEmpty()) {
      throw new CliException("Nothing to change: give at least one option (see keys update --help).", 2);
    }
    try (AdminSession session = admin.open(spec)) {
      JsonObject key = session.client(FIELD_OPTIONS).patch("/admin/api-keys/" + segment(id), body);
      spec.commandLine().getOut().println("updated " + key.getString("id") + " (" + key.getString("status") + "; "
          + LimitOptions.describe(key) + ") " + session.where() + propagation(key));
    }
    return 0;
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key for good, by its id.")
  int revoke(@Mixin AdminOptions admin,
      @Parameters(paramLabel = "ID", description = "The key's id, as `keys list` shows it.") String id) {
    try (AdminSession session = admin.open(spec)) {
      JsonObject key = session.client(FIELD_OPTIONS).delete("/admin/api-keys/" + segment(id));
      spec.commandLine().getOut().println("revoked " + key.getString("id") + " " + session.where()
          + propagation(key));
    }
    return 0;
  }

  /** What running gateways know of the change. */
  static String propagation(JsonObject answer) {
    return Boolean.TRUE.equals(answer.getBoolean("propagated"))
        ? " (announced: running gateways apply it now)"
        : " (running gateways apply it within auth.cache_ttl)";
  }

  /** A path segment: an id that is not one must not turn into another path. */
  static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static void put(JsonObject body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }

  private static Map<String, String> fieldOptions() {
    Map<String, String> m = new HashMap<>(LimitOptions.FIELD_OPTIONS);
    m.putAll(Map.of("name", "--name", "user", "--user", "project_id", "--project", "allowed_models", "--models",
        "expires_at", "--expires", "status", "--enable/--disable", "id", "ID"));
    return Map.copyOf(m);
  }
}
