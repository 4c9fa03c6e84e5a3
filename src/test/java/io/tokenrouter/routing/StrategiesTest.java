package io.tokenrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.config.RoutingConfig;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.ScriptedUpstream;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each strategy gives the distribution, or makes the choice, it promises. */
@Timeout(60)
class StrategiesTest {
  private final ScriptedUpstream a = new ScriptedUpstream("a");
  private final ScriptedUpstream b = new ScriptedUpstream("b");
  private final ScriptedUpstream c = new ScriptedUpstream("c");
  private TestGateway gateway;
  private String key;

  /** {@code targets} in YAML flow form; providers a, b and c are the three upstreams. */
  private void start(String strategy, String targets, String routing) {
    gateway = TestGateway.start("""
        providers:
          - { name: a, type: openai, base_url: "%s" }
          - { name: b, type: openai, base_url: "%s" }
          - { name: c, type: openai, base_url: "%s" }
        models:
          - { name: m, strategy: %s, targets: %s }
        routing: { affinity: { enabled: false }, retry: { per_target: 1 }%s }
        """.formatted(a.openAiUrl(), b.openAiUrl(), c.openAiUrl(), strategy, targets, routing));
    key = gateway.createKey();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    a.close();
    b.close();
    c.close();
  }

  private String ask(String prompt, Integer maxTokens) {
    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, new JsonObject().put("model", "m")
        .put("max_tokens", maxTokens)
        .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user")
            .put("content", prompt))).encode());
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content");
  }

  private Map<String, Long> served(int requests) {
    return IntStream.range(0, requests).mapToObj(i -> ask("question " + i, null))
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void priorityUsesTheBestLevelOnly() {
    start("priority", "[ { provider: b, model: m, priority: 1 }, { provider: a, model: m }, "
        + "{ provider: c, model: m, priority: 2 } ]", "");

    assertThat(served(10)).containsOnly(Map.entry(a.text(), 10L));
  }

  @Test
  void roundRobinGivesEveryTargetTheSameShare() {
    start("round_robin", "[ { provider: a, model: m }, { provider: b, model: m }, { provider: c, model: m } ]", "");

    assertThat(served(30)).containsOnly(Map.entry(a.text(), 10L), Map.entry(b.text(), 10L), Map.entry(c.text(), 10L));
  }

  @Test
  void weightedSharesFollowTheWeightsWithinTheBestPriority() {
    start("weighted", "[ { provider: a, model: m, weight: 3 }, { provider: b, model: m, weight: 1 }, "
        + "{ provider: c, model: m, weight: 100, priority: 1 } ]", "");

    assertThat(served(40)).containsOnly(Map.entry(a.text(), 30L), Map.entry(b.text(), 10L));
  }

  @Test
  void leastLatencyPrefersTheTargetWithTheShortestTimeToFirstToken() {
    start("least_latency", "[ { provider: a, model: m }, { provider: b, model: m } ]", "");
    a.always(ScriptedUpstream.slow(200));

    Map<String, Long> served = served(20);

    // each is measured once (a target without a measurement goes first), then the fast one wins
    assertThat(served.get(a.text())).isEqualTo(1L);
    assertThat(served.get(b.text())).isEqualTo(19L);
  }

  @Test
  void leastBusyPrefersTheTargetWithFewerCallsInFlight() throws Exception {
    start("least_busy", "[ { provider: a, model: m }, { provider: b, model: m } ]", "");
    a.always(ScriptedUpstream.slow(2_000));
    b.always(ScriptedUpstream.slow(2_000));

    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> ask("first", null));
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (a.received().size() + b.received().size() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    ScriptedUpstream busy = a.received().isEmpty() ? b : a;
    ScriptedUpstream idle = busy == a ? b : a;
    idle.always(ScriptedUpstream.answer());

    assertThat(served(5)).containsOnly(Map.entry(idle.text(), 5L));
    assertThat(first.get()).isEqualTo(busy.text());
  }

  @Test
  void lowestCostCountsCachedTokensAtTheirPrice() {
    // a: claude-sonnet-4 (3 in, 0.30 cache read, 15 out); b: gpt-4o (2.50 in, 1.25 cache read, 10 out)
    start("lowest_cost", "[ { provider: a, model: claude-sonnet-4-20250514 }, { provider: b, model: gpt-4o } ]",
        ", breaker: { failures: 100, min_calls: 100 }");
    assertThat(ask("no history yet", 16)).isEqualTo(b.text());

    // b fails for a while, so a serves, and a's provider reads 90% of each prompt from its cache
    b.always(ScriptedUpstream.status(500));
    a.always((up, req, resp) -> resp.putHeader("content-type", "application/json").end(
        FakeOpenAiServer.completion("x", up.text()).put("usage", FakeOpenAiServer.usage(1000, 5, 900)).encode()));
    for (int i = 0; i < 10; i++) {
      assertThat(ask("warm " + i, 16)).isEqualTo(a.text());
    }
    b.always(ScriptedUpstream.answer());

    // a long prompt is cheaper where most of it is a cache read; a long answer where output is cheaper
    assertThat(ask("x".repeat(40_000), 16)).isEqualTo(a.text());
    assertThat(ask("short", 4_000)).isEqualTo(b.text());
  }

  @Test
  void availabilityPrefersTheTargetWhoseRecentAttemptsSucceeded() {
    start("availability", "[ { provider: a, model: m }, { provider: b, model: m } ]", "");
    a.then(ScriptedUpstream.status(500));

    // a failed once (b answered instead): b has the better record from then on
    assertThat(served(12)).containsOnly(Map.entry(b.text(), 12L));
    assertThat(a.received()).hasSize(1);

    // now b fails once, a answers instead, and a's record is the better one
    b.then(ScriptedUpstream.status(500));
    assertThat(served(6)).containsOnly(Map.entry(a.text(), 6L));
  }

  @Test
  void everyStrategyTheConfigurationAcceptsExists() {
    Strategies.Context context = new Strategies.Context(t -> null, model -> Optional.empty());

    assertThat(RoutingConfig.STRATEGIES).allSatisfy(name ->
        assertThat(Strategies.create(name, context)).as(name).isNotNull());
  }
}
