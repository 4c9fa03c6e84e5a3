package io.tokenrouter.cli;

import io.tokenrouter.auth.ApiKeys;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.config.AdminTokenFile;
import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.AuditEntry;
import io.tokenrouter.store.AuditRepository;
import io.tokenrouter.store.Database;
import io.tokenrouter.store.StoredKey;
import io.tokenrouter.store.Transactions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The built-in demo: its own embedded database (./data/demo, never the one a real configuration
 * uses), the mock provider, and a fresh key that may use only the models the mock serves, printed
 * with a curl that works as it is.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the gateway on embedded defaults with the mock provider and print a demo key.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--port", description = "Port to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "8080")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig config = new ConfigOption().load();
    config = config.withServer(config.server().withPort(port));
    String key = createKey(config);
    String banner = """

        Demo key (shown once, stored only as its hash; it works on this demo only): %1$s

        Try it:
          curl -s http://127.0.0.1:{port}/v1/chat/completions \\
            -H "Authorization: Bearer %1$s" -H "Content-Type: application/json" \\
            -d '{"model":"mock-chat","messages":[{"role":"user","content":"Hello, gateway"}]}'

        Streaming: add "stream": true to the body and curl -N. Stop with Ctrl-C.
        %2$s""".formatted(key, console(config));
    ServeCommand.run(config, banner);
    return 0;
  }

  /** Where the web console is and the token that opens it (made on first start, next to the database). */
  private static String console(GatewayConfig config) {
    return AdminTokenFile.of(config.database()).map(file -> "Web console: http://127.0.0.1:" + config.server().port()
        + "/admin/ui/ (admin token: cat " + file.path() + ")\n").orElse("");
  }

  /** A key for the models every target of which is a mock provider; the raw key. */
  static String createKey(GatewayConfig config) {
    Set<String> mocks = config.providers().stream().filter(p -> ProviderConfig.MOCK.equals(p.type()))
        .map(ProviderConfig::name).collect(Collectors.toSet());
    List<String> models = config.models().stream()
        .filter(m -> !m.targets().isEmpty() && m.targets().stream().allMatch(t -> mocks.contains(t.provider())))
        .map(ModelConfig::name).toList();
    String raw = ApiKeys.generate();
    StoredKey key = new StoredKey(UUID.randomUUID(), "demo", ApiKeys.hash(raw), ApiKeys.displayPrefix(raw), models,
        false, null, Instant.now(), null, "demo", Limits.NONE);
    Database db;
    try {
      db = Database.open(config.database());
    } catch (ConfigException e) {
      throw new CliException(LocalAdmin.whyNotOpened(config, String.join("; ", e.problems()))
          + " (is a demo already running?)");
    }
    try (db) {
      new Transactions(db.dataSource()).run("creating the demo key", c -> {
        new ApiKeyRepository(db.dataSource()).insert(c, key);
        new AuditRepository(db.dataSource()).insert(c, new AuditEntry(UUID.randomUUID(), Instant.now(), "demo",
            "create", "api_key", key.id().toString(), new JsonObject().put("set", new JsonObject()
                .put("name", "demo").put("allowed_models", new JsonArray(models))).encode(), null));
        return null;
      });
    }
    return raw;
  }
}
