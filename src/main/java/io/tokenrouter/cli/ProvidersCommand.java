package io.tokenrouter.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Providers, through a running gateway's admin API or directly in its database
 * ({@link AdminSession}): a change is stored over the configuration file and put into force by
 * the gateways' reload path, as the admin API's {@code PATCH /admin/providers/{name}} does.
 */
@Command(name = "providers", mixinStandardHelpOptions = true,
    description = "List providers, enable or disable one, change its timeouts, retries or key (also while the"
        + " gateway runs).")
final class ProvidersCommand {
  private static final Map<String, String> FIELD_OPTIONS = Map.of("enabled", "enable/disable", "timeout_ms",
      "--timeout-ms", "max_retries", "--max-retries", "max_connections", "--max-connections", "base_url",
      "--base-url", "api_key", "--api-key-stdin");

  @Spec
  CommandSpec spec;

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List providers (never their keys).")
  int list(@Mixin AdminOptions admin) {
    try (AdminSession session = admin.open(spec)) {
      JsonArray providers = session.client(FIELD_OPTIONS).get("/admin/providers", Map.of()).getJsonArray("data");
      PrintWriter out = spec.commandLine().getOut();
      String format = "%-16s  %-10s  %-8s  %-9s  %-8s  %-20s  %s%n";
      out.printf(format, "NAME", "TYPE", "STATUS", "TIMEOUT", "RETRIES", "SETTINGS FROM", "MODELS");
      for (Object item : providers) {
        JsonObject p = (JsonObject) item;
        out.printf(format, p.getString("name"), p.getString("type"),
            Boolean.FALSE.equals(p.getBoolean("enabled")) ? "disabled" : "enabled",
            p.getValue("timeout_ms") == null ? "-" : p.getValue("timeout_ms") + "ms",
            p.getValue("max_retries") == null ? "default" : String.valueOf(p.getValue("max_retries")),
            p.getString("source", "configuration"), String.join(",", p.getJsonArray("models", new JsonArray())
                .stream().map(String::valueOf).toList()));
      }
    }
    return 0;
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Route to a provider again.")
  int enable(@Mixin AdminOptions admin, @Parameters(paramLabel = "NAME") String name) {
    return change(admin, name, new JsonObject().put("enabled", true));
  }

  @Command(name = "disable", mixinStandardHelpOptions = true,
      description = "Skip a provider's targets from the next request on, without removing it.")
  int disable(@Mixin AdminOptions admin, @Parameters(paramLabel = "NAME") String name) {
    return change(admin, name, new JsonObject().put("enabled", false));
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Change a provider's base URL, timeout, retries, connections or API key.")
  int update(
      @Mixin AdminOptions admin,
      @Parameters(paramLabel = "NAME", description = "The provider's name, as `providers list` shows it.") String name,
      @Option(names = "--base-url", paramLabel = "URL") String baseUrl,
      @Option(names = "--timeout-ms", paramLabel = "MS", description = "Total time a request to it may take.")
      Long timeoutMs,
      @Option(names = "--max-retries", paramLabel = "N",
          description = "Retries of one of its targets after the first attempt.") Integer maxRetries,
      @Option(names = "--max-connections", paramLabel = "N") Integer maxConnections,
      @Option(names = "--api-key-stdin",
          description = "Read its API key from standard input (kept out of the shell's history; stored encrypted"
              + " under TOKENROUTER_MASTER_KEY).") boolean apiKeyStdin) {
    JsonObject body = new JsonObject();
    if (baseUrl != null) {
      body.put("base_url", baseUrl);
    }
    if (timeoutMs != null) {
      body.put("timeout_ms", timeoutMs);
    }
    if (maxRetries != null) {
      body.put("max_retries", maxRetries);
    }
    if (maxConnections != null) {
      body.put("max_connections", maxConnections);
    }
    if (apiKeyStdin) {
      body.put("api_key", readKey());
    }
    if (body.isEmpty()) {
      throw new CliException("Nothing to change: give at least one option (see providers update --help).", 2);
    }
    return change(admin, name, body);
  }

  private int change(AdminOptions admin, String name, JsonObject body) {
    try (AdminSession session = admin.open(spec)) {
      JsonObject p = session.client(FIELD_OPTIONS).patch("/admin/providers/" + KeysCommand.segment(name), body);
      spec.commandLine().getOut().println("updated " + p.getString("name") + " ("
          + (Boolean.FALSE.equals(p.getBoolean("enabled")) ? "disabled" : "enabled") + ") " + session.where()
          + (Boolean.TRUE.equals(p.getBoolean("propagated")) ? " (announced: running gateways apply it now)"
          : " (running gateways apply it at their next configuration check)"));
    }
    return 0;
  }

  private static String readKey() {
    try {
      String key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (key == null || key.isBlank()) {
        throw new CliException("--api-key-stdin: standard input had no key (pipe it in: `... | tokenrouter providers"
            + " update NAME --api-key-stdin`).", 2);
      }
      return key.strip();
    } catch (IOException e) {
      throw new CliException("--api-key-stdin: cannot read standard input: " + e.getMessage(), 2);
    }
  }
}
