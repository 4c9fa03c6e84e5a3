package io.tokenrouter.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.SseClient;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every limit and refusal, with its status and headers, on the embedded counters and on Redis.
 * Upstream is a fake OpenAI server; gpt-4o-mini is priced 0.15 / 0.60 USD per million tokens.
 */
class LimitsTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String HELLO = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private FakeOpenAiServer upstream;
  private TestGateway gateway;

  static Stream<String> backends() {
    return Stream.of("in-process", "redis");
  }

  private void start(String backend) {
    upstream = new FakeOpenAiServer();
    String redis = "";
    if (backend.equals("redis")) {
      TestRedis.require();
      redis = "redis: { url: \"" + TestRedis.URL + "\", timeout: 5s, fail_mode: closed }\n";
    }
    gateway = TestGateway.start(redis + """
        providers: [ { name: openai, type: openai, base_url: "%s", api_key: sk-test } ]
        models:
          - { name: gpt-4o-mini, targets: [ { provider: openai, model: gpt-4o-mini } ] }
          - { name: claude-x, targets: [ { provider: openai, model: claude-x } ] }
        """.formatted(upstream.baseUrl()));
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

  private static Limits limits(Integer rpm, Integer tpm, Integer concurrency, Integer burst) {
    return new Limits(rpm, tpm, concurrency, burst, null, null, null, null);
  }

  private static JsonObject error(HttpResponse<String> r) {
    return new JsonObject(r.body()).getJsonObject("error");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void keyRpmAdmitsTheLimitThenRefusesWith429AndHeaders(String backend) {
    start(backend);
    String key = gateway.createKey(null, limits(3, null, null, null));

    List<HttpResponse<String>> answers = Stream.generate(() -> gateway.post(CHAT, key, HELLO)).limit(4).toList();

    assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429);
    assertThat(answers.get(0).headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
    assertThat(answers.get(0).headers().firstValue("x-ratelimit-remaining-requests")).hasValue("2");
    assertThat(answers.get(2).headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
    assertThat(answers.get(0).headers().firstValue("x-ratelimit-reset-requests")).hasValueSatisfying(
        v -> assertThat(v).matches("\\d+(ms|s)|\\d+m\\d+s"));
    HttpResponse<String> refused = answers.get(3);
    assertThat(error(refused).getString("type")).isEqualTo("rate_limit_error");
    assertThat(error(refused).getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(refused.headers().firstValue("retry-after")).hasValueSatisfying(
        v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
    assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
    assertThat(upstream.received()).hasSize(3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void userRpmCountsAcrossAllTheUsersKeys(String backend) {
    start(backend);
    UUID user = gateway.createUser("free", null, limits(3, null, null, null));
    String first = gateway.createKey(user, Limits.NONE);
    String second = gateway.createKey(user, Limits.NONE);

    assertThat(gateway.post(CHAT, first, HELLO).statusCode()).isEqualTo(200);
    assertThat(gateway.post(CHAT, second, HELLO).statusCode()).isEqualTo(200);
    assertThat(gateway.post(CHAT, first, HELLO).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = gateway.post(CHAT, second, HELLO);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(error(refused).getString("message")).contains("this user");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void planRpmAppliesWhenTheUserSetsNone(String backend) {
    start(backend);
    String key = gateway.createKey(gateway.createUser("free", null, Limits.NONE), Limits.NONE);

    HttpResponse<String> first = gateway.post(CHAT, key, HELLO);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).as("seed 000: free is 20/min").hasValue("20");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void burstRefusesTheRequestsBeyondItWithinOneSecond(String backend) {
    start(backend);
    // a loaded machine may stretch three requests past the one-second window: such a round shows
    // nothing, so a fresh key tries again (a few rounds at most)
    List<Integer> statuses = List.of();
    for (int round = 0; round < 5; round++) {
      String key = gateway.createKey(null, limits(100, null, null, 2));
      long started = System.nanoTime();
      statuses = Stream.generate(() -> gateway.post(CHAT, key, HELLO).statusCode()).limit(3).toList();
      if (System.nanoTime() - started < 800_000_000L) {
        break;
      }
    }

    assertThat(statuses).containsExactly(200, 200, 429);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void tpmReservesTheEstimateAndReportsTokenHeaders(String backend) {
    start(backend);
    String key = gateway.createKey(null, limits(null, 100, null, null));
    String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":40,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> first = gateway.post(CHAT, key, body);
    List<Integer> next = Stream.generate(() -> gateway.post(CHAT, key, body).statusCode()).limit(2).toList();
    HttpResponse<String> fourth = gateway.post(CHAT, key, body);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("100");
    assertThat(first.headers().firstValue("x-ratelimit-remaining-tokens")).as("7 prompt + 40 output reserved")
        .hasValue("53");
    assertThat(next).as("each settled to the 18 tokens it used: 18, 36, then 54 + 47 > 100").containsExactly(200, 200);
    assertThat(fourth.statusCode()).isEqualTo(429);
    assertThat(error(fourth).getString("message")).contains("tokens per minute");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void concurrencyRefusesWhileTheSlotIsHeldAndAdmitsAfter(String backend) throws Exception {
    start(backend);
    upstream.reply((req, res) -> FakeOpenAiServer.streamWords(req, res, "a b c d e f", 100));
    String key = gateway.createKey(null, limits(null, null, 1, null));
    HttpRequest stream = HttpRequest.newBuilder(gateway.uri(CHAT)).header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();

    try (SseClient inFlight = new SseClient(gateway.http(), stream)) {
      assertThat(inFlight.next()).isNotNull();
      HttpResponse<String> refused = gateway.post(CHAT, key, HELLO);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(error(refused).getString("message")).contains("concurrent");
      assertThat(inFlight.rest()).last().isEqualTo("[DONE]");
    }

    upstream.reply(FakeOpenAiServer::echo);
    assertThat(gateway.post(CHAT, key, HELLO).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void promptOverTheInputCapIs400(String backend) {
    start(backend);
    String key = gateway.createKey(null, new Limits(null, null, null, null, 10, null, null, null));

    HttpResponse<String> refused = gateway.post(CHAT, key, "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + "many words here ".repeat(10) + "\"}]}");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(error(refused).getString("code")).isEqualTo("input_tokens_exceeded");
    assertThat(gateway.post(CHAT, key, HELLO).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void outputCapLowersTheMaxTokensSentUpstream(String backend) {
    start(backend);
    String key = gateway.createKey(null, new Limits(null, null, null, null, null, 50, null, null));

    gateway.post(CHAT, key, HELLO);
    gateway.post(CHAT, key, "{\"model\":\"gpt-4o-mini\",\"max_completion_tokens\":500,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}");
    gateway.post(CHAT, key, "{\"model\":\"gpt-4o-mini\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}");

    assertThat(upstream.received().get(0).body().getInteger("max_tokens")).isEqualTo(50);
    assertThat(upstream.received().get(1).body().getInteger("max_completion_tokens")).isEqualTo(50);
    assertThat(upstream.received().get(2).body().getInteger("max_tokens")).as("a smaller ask stands").isEqualTo(20);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void monthlyTokenQuotaRefusesOnceUsedUp(String backend) {
    start(backend);
    String key = gateway.createKey(gateway.createUser("enterprise", 40L, Limits.NONE), Limits.NONE);
    String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> first = gateway.post(CHAT, key, body);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(gateway.post(CHAT, key, body).statusCode()).as("18 used + 14 reserved <= 40").isEqualTo(200);
    HttpResponse<String> refused = gateway.post(CHAT, key, body);

    assertThat(refused.statusCode()).as("36 used + 14 reserved > 40").isEqualTo(429);
    assertThat(error(refused).getString("type")).isEqualTo("insufficient_quota");
    assertThat(error(refused).getString("code")).isEqualTo("quota_exceeded");
    assertThat(gateway.get("/metrics", null).body()).contains("tokenrouter_quota_usage_percent{plan=\"enterprise\"}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void dailyBudgetRefusesOnceSpent(String backend) {
    start(backend);
    String key = gateway.createKey(null, new Limits(null, null, null, null, null, null, new BigDecimal("0.000010"),
        null));
    String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    assertThat(gateway.post(CHAT, key, body).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = gateway.post(CHAT, key, body);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(error(refused).getString("code")).isEqualTo("budget_exceeded");
    assertThat(error(refused).getString("message")).contains("daily budget");
    assertThat(refused.headers().firstValue("retry-after")).isPresent();
    assertThat(gateway.get("/metrics", null).body())
        .contains("tokenrouter_budget_refused_total{budget=\"daily\",scope=\"key\"} 1.0");
  }

  /**
   * $0.001 at gpt-4o-mini's $0.15 / $0.60 per million: after the 7-token prompt ($0.00000105) it
   * pays for 1,664 output tokens, and no request is sent asking for more, whatever it asked.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void aBudgetLowersTheMaxTokensSentUpstreamToWhatItPaysFor(String backend) {
    start(backend);
    Limits budget = new Limits(null, null, null, null, null, null, new BigDecimal("0.001"), null);
    String asksForMore = gateway.createKey(null, budget);
    String asksForNothing = gateway.createKey(null, budget);

    gateway.post(CHAT, asksForMore, "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5000,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}");
    gateway.post(CHAT, asksForNothing, HELLO);

    assertThat(upstream.received().get(0).body().getInteger("max_tokens")).isEqualTo(1664);
    assertThat(upstream.received().get(1).body().getInteger("max_tokens")).isEqualTo(1664);
  }

  /** $0.00001 does not pay for the prompt and 16 output tokens ($0.00001065): refused before going upstream. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void aBudgetTooSmallForTheShortestAnswerRefuses(String backend) {
    start(backend);
    String key = gateway.createKey(null, new Limits(null, null, null, null, null, null, new BigDecimal("0.00001"),
        null));

    HttpResponse<String> refused = gateway.post(CHAT, key, HELLO);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(error(refused).getString("code")).isEqualTo("budget_exceeded");
    assertThat(upstream.received()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void modelAllowlistTakesGlobPatterns(String backend) {
    start(backend);
    String key = gateway.createKey(null, Limits.NONE, "gpt-4o*");

    assertThat(gateway.post(CHAT, key, HELLO).statusCode()).isEqualTo(200);
    assertThat(gateway.post(CHAT, key, "{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .statusCode()).isEqualTo(403);
  }
}
