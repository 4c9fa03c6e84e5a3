package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.ScriptedUpstream;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-provider connection settings from the configuration reach the upstream connections. */
class ConnectionSettingsTest {
  private final ScriptedUpstream pooled = new ScriptedUpstream("pooled");
  private final ScriptedUpstream unpooled = new ScriptedUpstream("unpooled");
  private TestGateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    pooled.close();
    unpooled.close();
  }

  @Test
  void withoutKeepAliveEachRequestClosesItsConnection() {
    gateway = TestGateway.start("""
        providers:
          - { name: pooled, type: openai, base_url: "%s", max_connections: 4, timeouts: { pool_idle: 30s } }
          - { name: unpooled, type: openai, base_url: "%s", keep_alive: false }
        models:
          - { name: a, targets: [ { provider: pooled, model: a } ] }
          - { name: b, targets: [ { provider: unpooled, model: b } ] }
        """.formatted(pooled.openAiUrl(), unpooled.openAiUrl()));
    String key = gateway.createKey();

    for (String model : new String[] {"a", "b"}) {
      assertThat(gateway.post("/v1/chat/completions", key,
          "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode())
          .isEqualTo(200);
    }

    assertThat(pooled.received().getFirst().headers().get("connection")).isNull();
    assertThat(unpooled.received().getFirst().headers().get("connection")).isEqualTo("close");
  }

  @Test
  void withoutMaxConnectionsMoreThan256RequestsAreInFlightAtOnce() throws Exception {
    // the upstream answers only once it holds them all: a smaller pool would queue the rest
    int inFlight = 300;
    List<Runnable> held = new ArrayList<>();
    pooled.always((up, req, resp) -> {
      synchronized (held) {
        held.add(() -> ScriptedUpstream.answer().perform(up, req, resp));
        if (held.size() == inFlight) {
          held.forEach(Runnable::run);
        }
      }
    });
    gateway = TestGateway.start("""
        providers:
          - { name: pooled, type: openai, base_url: "%s", timeouts: { first_byte: 20s } }
        models:
          - { name: a, targets: [ { provider: pooled, model: a } ] }
        """.formatted(pooled.openAiUrl()));
    String key = gateway.createKey();

    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < inFlight; i++) {
      answers.add(gateway.http().sendAsync(HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
          .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString()));
    }

    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }
}
