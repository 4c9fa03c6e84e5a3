package io.tokenrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.ScriptedUpstream;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several keys of one provider: load spread over them, a rate-limited key rests, a refused key is taken out. */
@Timeout(30)
class ProviderKeysTest {
  private final ScriptedUpstream upstream = new ScriptedUpstream("upstream");
  private TestGateway gateway;
  private String key;

  private void start(String keys) {
    gateway = TestGateway.start("""
        admin: { token: admin-token }
        providers:
          - { name: p, type: openai, base_url: "%s", api_keys: %s }
        models:
          - { name: m, targets: [ { provider: p, model: m } ] }
        """.formatted(upstream.openAiUrl(), keys));
    key = gateway.createKey();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
  }

  /** Each request is a new conversation, so no session pins a key. */
  private int ask(int conversation) {
    return gateway.post("/v1/chat/completions", key,
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"question " + conversation + "\"}]}")
        .statusCode();
  }

  private Map<String, Long> keysUsed() {
    return upstream.received().stream()
        .collect(Collectors.groupingBy(r -> r.headers().get("Authorization"), Collectors.counting()));
  }

  private static ScriptedUpstream.Act refusing(String bearer, ScriptedUpstream.Act refusal) {
    return (up, req, resp) -> (bearer.equals(req.headers().get("Authorization")) ? refusal
        : ScriptedUpstream.answer()).perform(up, req, resp);
  }

  @Test
  void requestsAreSpreadEvenlyOverTheKeys() {
    start("[ k0, k1, k2 ]");

    for (int i = 0; i < 30; i++) {
      assertThat(ask(i)).isEqualTo(200);
    }

    assertThat(keysUsed()).containsOnly(Map.entry("Bearer k0", 10L), Map.entry("Bearer k1", 10L),
        Map.entry("Bearer k2", 10L));
  }

  @Test
  void aKeyThatGot429RestsForItsRetryAfterWhileTheOtherTakesOver() throws Exception {
    start("[ k0, k1 ]");
    upstream.always(refusing("Bearer k0", ScriptedUpstream.status(429, "Retry-After", "2")));

    for (int i = 0; i < 6; i++) {
      assertThat(ask(i)).isEqualTo(200);
    }
    assertThat(keysUsed()).containsOnly(Map.entry("Bearer k0", 1L), Map.entry("Bearer k1", 6L));

    Thread.sleep(2_100);
    upstream.always(ScriptedUpstream.answer());
    for (int i = 0; i < 4; i++) {
      assertThat(ask(100 + i)).isEqualTo(200);
    }
    assertThat(keysUsed().get("Bearer k0")).isGreaterThan(1L);
  }

  @Test
  void aRefusedKeyIsTakenOut() throws Exception {
    start("[ bad, good ]");
    upstream.always(refusing("Bearer bad", ScriptedUpstream.status(401)));

    for (int i = 0; i < 6; i++) {
      assertThat(ask(i)).isEqualTo(200);
    }

    Map<String, Long> used = keysUsed();
    assertThat(used.get("Bearer bad")).isEqualTo(1L);
    assertThat(used.get("Bearer good")).isEqualTo(6L);
  }

  @Test
  void theHealthReportNamesKeysByPositionNeverBySecret() {
    start("[ sk-secret-0, sk-secret-1 ]");
    upstream.always(refusing("Bearer sk-secret-0", ScriptedUpstream.status(429, "Retry-After", "30")));
    ask(1);

    HttpResponse<String> report = gateway.get("/admin/providers/health", "admin-token");

    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.body()).doesNotContain("sk-secret");
    JsonArray keys = new JsonObject(report.body()).getJsonArray("targets").getJsonObject(0).getJsonArray("keys");
    assertThat(keys.getJsonObject(0).getString("state")).startsWith("cooling");
    assertThat(keys.getJsonObject(1).getString("state")).isEqualTo("ok");
  }
}
