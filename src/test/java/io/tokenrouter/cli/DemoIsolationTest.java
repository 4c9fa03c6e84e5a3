package io.tokenrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.Gateway;
import io.tokenrouter.auth.ApiKeys;
import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.DatabaseConfig;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo keeps its keys to itself: its own database file, keys that reach only the mock
 * provider. Both configurations are run from one working directory (a temporary one here),
 * as a newcomer would run `./tokenrouter demo` and then the example configuration.
 */
class DemoIsolationTest {
  private static final Map<String, String> SECRETS = Map.of("OPENAI_API_KEY", "sk-test", "ANTHROPIC_API_KEY",
      "sk-ant-test", "DEEPSEEK_API_KEY", "sk-test");

  @TempDir
  Path workingDir;

  /** The configuration with ./data resolved in the test's working directory and a free port. */
  private GatewayConfig inWorkingDir(GatewayConfig c) {
    DatabaseConfig db = c.database();
    return c.withDatabase(new DatabaseConfig(db.url().replace("./data/", workingDir + "/data/"), db.username(),
            db.password(), db.poolSize(), db.connectionTimeout()))
        .withUsage(c.usage().withSpoolDir(workingDir.resolve("data/spool").toString()))
        .withServer(c.server().withPort(0));
  }

  private static int chat(Gateway g, String key, String model) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + g.port() + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void aDemoKeyIsRefusedByAGatewayStartedOnTheExampleConfiguration() throws Exception {
    GatewayConfig demo = inWorkingDir(new ConfigLoader(Map.of()).loadDemo());
    GatewayConfig example = inWorkingDir(new ConfigLoader(SECRETS).load(Path.of("config/tokenrouter.example.yaml")));
    String demoKey = DemoCommand.createKey(demo);

    try (Gateway real = Gateway.start(example, Map.of())) {
      assertThat(chat(real, demoKey, "mock-chat")).isEqualTo(401);
    }
    try (Gateway demoGateway = Gateway.start(demo, Map.of())) {
      assertThat(chat(demoGateway, demoKey, "mock-chat")).isEqualTo(200);
    }
  }

  @Test
  void theDemoHasADatabaseOfItsOwn() {
    GatewayConfig demo = new ConfigLoader(Map.of()).loadDemo();
    GatewayConfig example = new ConfigLoader(SECRETS).load(Path.of("config/tokenrouter.example.yaml"));

    assertThat(demo.database().location()).isNotEqualTo(example.database().location())
        .isNotEqualTo(new DatabaseConfig(null, null, null, null).location());
  }

  @Test
  void aDemoKeyMayUseOnlyTheModelsTheMockServes() {
    GatewayConfig demo = inWorkingDir(new ConfigLoader(Map.of()).loadDemo());

    String raw = DemoCommand.createKey(demo);

    try (Database db = Database.open(demo.database())) {
      assertThat(new ApiKeyRepository(db.dataSource()).findByHash(ApiKeys.hash(raw)).orElseThrow().models())
          .containsExactlyInAnyOrder("mock-chat", "gpt-4o-mini");
    }
  }
}
