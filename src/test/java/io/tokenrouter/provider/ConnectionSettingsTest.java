package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.ScriptedUpstream;
import io.tokenrouter.support.TestGateway;
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
}
