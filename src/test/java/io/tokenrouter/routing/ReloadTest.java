package io.tokenrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.support.ScriptedUpstream;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Providers, models and routing change while the gateway serves, from its file, without dropping a request. */
@Timeout(60)
class ReloadTest {
  private final ScriptedUpstream one = new ScriptedUpstream("one");
  private final ScriptedUpstream two = new ScriptedUpstream("two");
  private final List<TestGateway> gateways = new ArrayList<>();
  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    gateways.forEach(TestGateway::close);
    one.close();
    two.close();
  }

  private Path file(String yaml) throws IOException {
    Path file = dir.resolve("tokenrouter.yaml");
    // written aside and moved in whole, as editors and ConfigMap updates do: never read half written
    Path next = dir.resolve("tokenrouter.yaml.next");
    Files.writeString(next, yaml);
    Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  private String config(String models, String reload, String extra) {
    return """
        usage: { flush_interval: 20ms }
        providers:
          - { name: one, type: openai, base_url: "%s" }
          - { name: two, type: openai, base_url: "%s" }
        models:
        %s
        routing: { reload: %s }
        %s
        """.formatted(one.openAiUrl(), two.openAiUrl(), models, reload, extra);
  }

  private TestGateway start(Path file) {
    TestGateway gateway = TestGateway.startFromFile(file, Map.of());
    gateways.add(gateway);
    return gateway;
  }

  private static HttpResponse<String> ask(TestGateway gateway, String key, String model, boolean stream) {
    return gateway.post("/v1/chat/completions", key, "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void twoHundredRequestsAcrossThreeReloadsAllSucceed() throws Exception {
    one.always(ScriptedUpstream.slow(40));
    two.always(ScriptedUpstream.slow(40));
    String manual = "{ watch: false }";
    Path file = file(config("  - { name: m, targets: [ { provider: one, model: m } ] }", manual, ""));
    TestGateway gateway = start(file);
    String key = gateway.createKey();

    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      boolean stream = i % 2 == 1;
      answers.add(clients.submit(() -> ask(gateway, key, "m", stream)));
    }
    List<String> reloads = List.of(
        config("  - { name: m, targets: [ { provider: two, model: m } ] }", manual, ""),
        config("  - { name: m, strategy: round_robin, targets: [ { provider: one, model: m }, "
            + "{ provider: two, model: m } ] }", manual, ""),
        // one's settings change: it gets a new adapter, and the old one finishes what it carries
        config("  - { name: m, targets: [ { provider: one, model: m } ] }", manual, "")
            .replace("{ name: one, type: openai,", "{ name: one, type: openai, max_connections: 16,"));
    for (String next : reloads) {
      Thread.sleep(250);
      file(next);
      assertThat(gateway.gateway().reload().await(10, TimeUnit.SECONDS)).isTrue();
    }

    int ok = 0;
    for (Future<HttpResponse<String>> answer : answers) {
      HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).doesNotContain("\"error\"");
      ok++;
    }
    clients.shutdown();
    assertThat(ok).isEqualTo(200);
    assertThat(one.received()).isNotEmpty();
    assertThat(two.received()).isNotEmpty();
    assertThat(gateway.awaitRecords(200)).allSatisfy(r -> assertThat(((Number) r.get("status")).intValue())
        .isEqualTo(200));
  }

  @Test
  void aBrokenFileIsRefusedWithTheMessagesOfAStartAndTheRunningConfigurationStays() throws Exception {
    Path file = file(config("  - { name: m, targets: [ { provider: one, model: m } ] }", "{ watch: false }", ""));
    TestGateway gateway = start(file);
    String key = gateway.createKey();

    file(config("  - { name: m, strategy: fastest, targets: [ { provider: none, model: m } ] }", "{ watch: false }",
        ""));
    String atStart = "";
    try {
      new ConfigLoader(Map.of()).load(file);
    } catch (ConfigException e) {
      atStart = e.getMessage();
    }

    assertThat(atStart).contains("models[0].strategy: 'fastest' is not a strategy")
        .contains("models[0].targets[0].provider: 'none' is not a configured provider");
    assertThatThrownBy(() -> gateway.gateway().reload().await(10, TimeUnit.SECONDS))
        .isInstanceOf(ConfigException.class).hasMessage(atStart);
    assertThat(ask(gateway, key, "m", false).statusCode()).isEqualTo(200);
    assertThat(one.received()).hasSize(1);
  }

  @Test
  void aChangedFileIsPickedUpByItself() throws Exception {
    Path file = file(config("  - { name: m, targets: [ { provider: one, model: m } ] }", "{ interval: 100ms }", ""));
    TestGateway gateway = start(file);
    String key = gateway.createKey();

    file(config("  - { name: m2, targets: [ { provider: two, model: m } ] }", "{ interval: 100ms }", ""));

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (ask(gateway, key, "m2", false).statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ask(gateway, key, "m2", false).statusCode()).isEqualTo(200);
    assertThat(ask(gateway, key, "m", false).statusCode()).isEqualTo(404);
  }

  @Test
  void aProviderAddedByAReloadHasItsModelListFetchedAtOnce() throws Exception {
    Path file = file(config("  - { name: m, targets: [ { provider: one, model: m } ] }", "{ watch: false }", ""));
    TestGateway gateway = start(file);
    String key = gateway.createKey();
    two.models(List.of("listed-model"));

    file(config("  - { name: m, targets: [ { provider: one, model: m } ] }", "{ watch: false }", "")
        .replace("{ name: two, type: openai,", "{ name: two, type: openai, list_models: true,"));
    assertThat(gateway.gateway().reload().await(10, TimeUnit.SECONDS)).isTrue();

    // "at once" against the ten-minute refresh: the bound leaves room for a loaded machine
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!gateway.get("/v1/models", key).body().contains("listed-model") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(gateway.get("/v1/models", key).body()).contains("listed-model");
    assertThat(ask(gateway, key, "listed-model", false).statusCode()).isEqualTo(200);
  }

  @Test
  void anInstanceThatReloadedTellsTheOthersThroughRedis() throws Exception {
    TestRedis.require();
    String redis = "redis: { url: \"" + TestRedis.URL + "\" }";
    Path file = file(config("  - { name: m, targets: [ { provider: one, model: m } ] }", "{ watch: false }", redis));
    TestGateway a = start(file);
    TestGateway b = start(file);
    String keyB = b.createKey();

    file(config("  - { name: m3, targets: [ { provider: two, model: m } ] }", "{ watch: false }", redis));
    assertThat(a.gateway().reload().await(10, TimeUnit.SECONDS)).isTrue();

    long deadline = System.nanoTime() + 5_000_000_000L;
    while (ask(b, keyB, "m3", false).statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ask(b, keyB, "m3", false).statusCode()).isEqualTo(200);
  }
}
