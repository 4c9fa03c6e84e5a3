package io.tokenrouter.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Budgets hold under concurrency: requests reserve their cost before going upstream, so fifty at
 * once against a budget that pays for ten cannot all pass the check before any of them is billed.
 *
 * <p>Each request: gpt-4.1 (2.00 / 8.00 USD per million), a 7-token prompt (the gateway's own
 * estimate of "hi" with OpenAI's message framing, and what the upstream reports) and
 * {@code max_tokens: 1000}, all of which the upstream produces: 7 x 2 + 1000 x 8 = 8014 millionths,
 * $0.008014. The key's daily budget, $0.080140, pays for exactly ten.
 */
class BudgetConcurrencyTest {
  private static final BigDecimal ONE_REQUEST = new BigDecimal("0.008014");
  private static final BigDecimal BUDGET = new BigDecimal("0.080140");
  private static final int LONG_ANSWER = 3_500;
  private FakeOpenAiServer upstream;
  private TestGateway gateway;

  static Stream<String> backends() {
    return Stream.of("in-process", "redis");
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void fiftyParallelRequestsAgainstABudgetForTenLetAtMostTenThrough(String backend) throws Exception {
    upstream = new FakeOpenAiServer();
    upstream.reply((req, res) -> upstream.vertx().setTimer(20, t -> res.putHeader("content-type", "application/json")
        .end(new JsonObject().put("id", "x").put("object", "chat.completion").put("model", req.getString("model"))
            .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "length")
                .put("message", new JsonObject().put("role", "assistant").put("content", "..."))))
            .put("usage", new JsonObject().put("prompt_tokens", 7).put("completion_tokens", 1000)
                .put("total_tokens", 1007)).encode())));
    startGateway(backend);
    String key = gateway.createKey(null, new Limits(null, null, null, null, null, null, BUDGET, null));
    UUID keyId = gateway.keyId(key);
    String body = "{\"model\":\"gpt-4.1\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    List<Integer> statuses = sendAtOnce(50, key, body);

    long admitted = statuses.stream().filter(s -> s == 200).count();
    assertThat(admitted).isBetween(1L, 10L);
    assertThat(statuses).filteredOn(s -> s != 200).containsOnly(429);
    List<Map<String, Object>> records = gateway.awaitRecordsOf(keyId, 50);
    BigDecimal spent = records.stream().map(r -> (BigDecimal) r.get("cost_usd")).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(spent).isEqualByComparingTo(ONE_REQUEST.multiply(BigDecimal.valueOf(admitted)));
    assertThat(spent).isLessThanOrEqualTo(BUDGET.add(ONE_REQUEST));
    assertThat(upstream.received()).hasSize((int) admitted);
  }

  /**
   * The case: answers of 3,500 tokens ($0.028014 each at gpt-4.1's prices) and no
   * {@code max_tokens}, fifty at once against a $0.05 daily budget. Each admitted request is sent
   * with {@code max_tokens} at most what the rest of the budget pays for, so however many get
   * through, together they cost no more than the budget.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void fiftyParallelRequestsWithoutMaxTokensSpendAtMostTheBudget(String backend) throws Exception {
    BigDecimal budget = new BigDecimal("0.05");
    upstream = new FakeOpenAiServer();
    upstream.reply((req, res) -> {
      int tokens = Math.min(LONG_ANSWER, req.getInteger("max_tokens", LONG_ANSWER));
      JsonObject answer = FakeOpenAiServer.completion(req.getString("model"), "word" + " word".repeat(tokens - 1))
          .put("usage", new JsonObject().put("prompt_tokens", 7).put("completion_tokens", tokens)
              .put("total_tokens", 7 + tokens));
      upstream.vertx().setTimer(20, t -> res.putHeader("content-type", "application/json").end(answer.encode()));
    });
    startGateway(backend);
    String key = gateway.createKey(null, new Limits(null, null, null, null, null, null, budget, null));
    UUID keyId = gateway.keyId(key);
    String body = "{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    List<Integer> statuses = sendAtOnce(50, key, body);

    List<Map<String, Object>> records = gateway.awaitRecordsOf(keyId, 50);
    BigDecimal spent = records.stream().map(r -> (BigDecimal) r.get("cost_usd"))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(spent).as("spent against a budget of %s", budget).isLessThanOrEqualTo(budget);
    assertThat(statuses).contains(200).filteredOn(s -> s != 200).containsOnly(429);
    assertThat(upstream.received()).hasSize((int) statuses.stream().filter(s -> s == 200).count())
        .allSatisfy(r -> assertThat(r.body().getInteger("max_tokens")).isBetween(16, 4096));
  }

  private void startGateway(String backend) {
    String redis = "";
    if (backend.equals("redis")) {
      TestRedis.require();
      redis = "redis: { url: \"" + TestRedis.URL + "\", timeout: 5s, fail_mode: closed }\n";
    }
    // fifty identical requests at once: each must reach the provider, not share one call
    gateway = TestGateway.start(redis + """
        usage: { flush_interval: 20ms }
        pipeline: { off: [ dedup ] }
        providers: [ { name: openai, type: openai, base_url: "%s", api_key: sk-test } ]
        models: [ { name: gpt-4.1, targets: [ { provider: openai, model: gpt-4.1 } ] } ]
        """.formatted(upstream.baseUrl()));
  }

  private List<Integer> sendAtOnce(int n, String key, String body) throws Exception {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(pool.submit(() -> gateway.post("/v1/chat/completions", key, body)));
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<HttpResponse<String>> f : answers) {
      statuses.add(f.get(60, TimeUnit.SECONDS).statusCode());
    }
    pool.shutdown();
    return statuses;
  }
}
