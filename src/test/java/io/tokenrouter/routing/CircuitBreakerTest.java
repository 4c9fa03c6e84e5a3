package io.tokenrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.config.RoutingConfig;
import io.tokenrouter.support.ScriptedUpstream;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-target circuit breakers: open on failures, keep traffic away, let a probe through, close on its success. */
@Timeout(30)
class CircuitBreakerTest {
  private static final String HELLO = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private final ScriptedUpstream failing = new ScriptedUpstream("failing");
  private final ScriptedUpstream healthy = new ScriptedUpstream("healthy");
  private final List<TestGateway> gateways = new ArrayList<>();
  /** Unique per test: breaker states shared through Redis outlive a test by up to 30 s. */
  private final String failingName = "failing-" + UUID.randomUUID().toString().substring(0, 8);

  private TestGateway start(String extra) {
    TestGateway gateway = TestGateway.start("""
        admin: { token: admin-token }
        providers:
          - { name: %1$s, type: openai, base_url: "%2$s" }
          - { name: healthy, type: openai, base_url: "%3$s" }
        models:
          - name: m
            targets: [ { provider: %1$s, model: m }, { provider: healthy, model: m, priority: 1 } ]
        routing:
          retry: { per_target: 1 }
          breaker: { failures: 3, open_for: 1s }
          affinity: { enabled: false }
        %4$s
        """.formatted(failingName, failing.openAiUrl(), healthy.openAiUrl(), extra));
    gateways.add(gateway);
    return gateway;
  }

  @AfterEach
  void stop() {
    gateways.forEach(TestGateway::close);
    failing.close();
    healthy.close();
  }

  private static String answer(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content");
  }

  @Test
  void onceOpenNoTrafficReachesTheTargetUntilAProbeSucceeds() throws Exception {
    TestGateway gateway = start("");
    String key = gateway.createKey();
    failing.always(ScriptedUpstream.status(500));

    for (int i = 0; i < 3; i++) {
      assertThat(answer(gateway.post("/v1/chat/completions", key, HELLO))).isEqualTo(healthy.text());
    }
    assertThat(failing.received()).hasSize(3);
    assertThat(gateway.get("/admin/providers/health", "admin-token").body()).contains("\"circuit\":\"open\"");

    failing.always(ScriptedUpstream.answer());
    for (int i = 0; i < 10; i++) {
      assertThat(answer(gateway.post("/v1/chat/completions", key, HELLO))).isEqualTo(healthy.text());
    }
    assertThat(failing.received()).hasSize(3);

    Thread.sleep(1_100);
    assertThat(answer(gateway.post("/v1/chat/completions", key, HELLO))).isEqualTo(failing.text());
    assertThat(answer(gateway.post("/v1/chat/completions", key, HELLO))).isEqualTo(failing.text());
    assertThat(failing.received()).hasSize(5);
  }

  @Test
  void aFailedProbeOpensTheCircuitAgain() throws Exception {
    TestGateway gateway = start("");
    String key = gateway.createKey();
    failing.always(ScriptedUpstream.status(500));
    for (int i = 0; i < 3; i++) {
      gateway.post("/v1/chat/completions", key, HELLO);
    }

    Thread.sleep(1_100);
    gateway.post("/v1/chat/completions", key, HELLO);
    gateway.post("/v1/chat/completions", key, HELLO);

    assertThat(failing.received()).hasSize(4);
  }

  @Test
  void aTargetWithNoAlternativeIsStillTriedWithItsCircuitOpenButNotRetried() {
    TestGateway gateway = TestGateway.start("""
        admin: { token: admin-token }
        providers: [ { name: %s, type: openai, base_url: "%s" } ]
        models: [ { name: m, targets: [ { provider: %1$s, model: m } ] } ]
        routing: { retry: { per_target: 3, backoff: 10ms }, breaker: { failures: 2, open_for: 30s } }
        """.formatted(failingName, failing.openAiUrl()));
    gateways.add(gateway);
    String key = gateway.createKey();
    failing.always(ScriptedUpstream.status(500));

    HttpResponse<String> first = gateway.post("/v1/chat/completions", key, HELLO);
    assertThat(failing.received()).hasSize(2);
    assertThat(gateway.get("/admin/providers/health", "admin-token").body()).contains("\"circuit\":\"open\"");
    failing.always(ScriptedUpstream.answer());
    HttpResponse<String> second = gateway.post("/v1/chat/completions", key, HELLO);

    // the provider's own error, not a gateway refusal; its breaker stopped the retries at two
    assertThat(first.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(first.body()).getJsonObject("error").getString("code")).isEqualTo("upstream_status_500");
    // with nowhere else to go the call asks the provider anyway, and its answer closes the circuit
    assertThat(answer(second)).isEqualTo(failing.text());
    assertThat(gateway.get("/admin/providers/health", "admin-token").body()).contains("\"circuit\":\"closed\"");
  }

  @Test
  void anotherInstanceAvoidsATargetOneInstanceFoundFailingThroughRedis() throws Exception {
    TestRedis.require();
    String redis = "redis: { url: \"" + TestRedis.URL + "\" }";
    TestGateway a = start(redis);
    TestGateway b = start(redis);
    String keyA = a.createKey();
    String keyB = b.createKey();
    failing.always(ScriptedUpstream.status(500));

    for (int i = 0; i < 3; i++) {
      a.post("/v1/chat/completions", keyA, HELLO);
    }
    assertThat(failing.received()).hasSize(3);
    Thread.sleep(1_500);

    for (int i = 0; i < 5; i++) {
      assertThat(answer(b.post("/v1/chat/completions", keyB, HELLO))).isEqualTo(healthy.text());
    }
    assertThat(failing.received()).hasSize(3);
    assertThat(b.get("/admin/providers/health", "admin-token").body()).contains("\"open_elsewhere\":true");
  }

  @Test
  void theFailedShareOfCallsInTheWindowOpensIt() {
    RoutingConfig.Breaker settings = new RoutingConfig.Breaker(100, 0.5, 10, Duration.ofSeconds(10),
        Duration.ofSeconds(5), 1);
    CircuitBreaker breaker = new CircuitBreaker(() -> settings, state -> { });
    long now = 1_000_000_000L;

    for (int i = 0; i < 9; i++) {
      assertThat(breaker.tryAcquire(now)).isTrue();
      if (i % 2 == 0) {
        breaker.onFailure(now);
      } else {
        breaker.onSuccess(now);
      }
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    breaker.onFailure(now);

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire(now + Duration.ofSeconds(4).toNanos())).isFalse();
  }

  @Test
  void halfOpenLetsOneProbeThroughAtATime() {
    RoutingConfig.Breaker settings = new RoutingConfig.Breaker(1, 0.5, 10, Duration.ofSeconds(10),
        Duration.ofSeconds(5), 1);
    CircuitBreaker breaker = new CircuitBreaker(() -> settings, state -> { });
    long now = 1_000_000_000L;
    breaker.onFailure(now);
    long later = now + Duration.ofSeconds(5).toNanos();

    assertThat(breaker.tryAcquire(later)).isTrue();
    assertThat(breaker.tryAcquire(later)).isFalse();
    breaker.onNeutral();
    assertThat(breaker.tryAcquire(later)).isTrue();
    breaker.onSuccess(later);

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire(later)).isTrue();
  }
}
