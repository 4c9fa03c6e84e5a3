package io.tokenrouter.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.CuttableTcpProxy;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Limits while Redis is unreachable, and their recovery when it is back, without a restart. */
class RedisOutageTest {
  private static final String HELLO = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private CuttableTcpProxy redis;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    TestRedis.require();
    redis = new CuttableTcpProxy(6379);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private void startGateway(String failMode) {
    gateway = TestGateway.start("""
        redis: { url: "redis://127.0.0.1:%d", fail_mode: %s, timeout: 2s }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """.formatted(redis.port(), failMode));
  }

  private int status(String key) {
    return gateway.post("/v1/chat/completions", key, HELLO).statusCode();
  }

  private String metric(String name) {
    return gateway.get("/metrics", null).body().lines().filter(l -> l.startsWith(name)).findFirst().orElse("");
  }

  @Test
  void failOpenLetsRequestsThroughAndLimitsResumeWhenRedisIsBack() throws Exception {
    startGateway("open");
    String key = gateway.createKeyWithLimits(2, null);
    assertThat(status(key)).isEqualTo(200);

    redis.cut();
    for (int i = 0; i < 5; i++) {
      assertThat(status(key)).as("fail open while Redis is cut").isEqualTo(200);
    }
    assertThat(metric("tokenrouter_counters_unavailable")).endsWith(" 1.0");
    assertThat(metric("tokenrouter_limit_fallbacks_total{fail_mode=\"open\"}")).endsWith(" 5.0");

    redis.restore();
    long deadline = System.nanoTime() + 10_000_000_000L;
    int answer = 200;
    while (answer == 200 && System.nanoTime() < deadline) {
      answer = status(key);
      Thread.sleep(50);
    }
    assertThat(answer).as("the RPM limit is enforced again once Redis is back").isEqualTo(429);
    assertThat(metric("tokenrouter_counters_unavailable")).endsWith(" 0.0");
  }

  /**
   * A key allowed two requests at once, both in flight when Redis goes away and both finishing
   * before it is back: their slots are given back once it answers again (before any new
   * request asks), the gauge clears by itself, and the key then gets exactly its two slots.
   */
  @Test
  void slotsReleasedDuringABlipAreGivenBackAndTheGaugeClearsWithoutTraffic() throws Exception {
    try (FakeOpenAiServer upstream = new FakeOpenAiServer()) {
      upstream.reply((req, res) -> upstream.vertx().setTimer(1_500, t -> FakeOpenAiServer.echo(req, res)));
      gateway = TestGateway.start("""
          redis: { url: "redis://127.0.0.1:%d", fail_mode: open, timeout: 2s }
          providers:
            - { name: openai, type: openai, base_url: "%s", api_key: sk-test, timeouts: { connect: 1s, total: 10s } }
          models: [ { name: mock-chat, targets: [ { provider: openai, model: gpt-4o-mini } ] } ]
          """.formatted(redis.port(), upstream.baseUrl()));
      String key = gateway.createKeyWithLimits(null, 2);
      String slots = "concurrency:key:" + gateway.keyId(key);
      ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

      List<Future<Integer>> inFlight = send(clients, key, 2);
      awaitCondition(() -> upstream.received().size() == 2, "both requests upstream");
      long leaseTtlMs = Long.parseLong(TestRedis.call("PTTL", slots).substring(1));
      redis.cut();
      assertThat(statuses(inFlight)).containsExactly(200, 200);
      awaitCondition(() -> metric("tokenrouter_counters_unavailable").endsWith(" 1.0"), "the gauge reports the outage");
      redis.restore();
      long restored = System.nanoTime();
      awaitCondition(() -> metric("tokenrouter_counters_unavailable").endsWith(" 0.0"), "the gauge clears");
      Duration gaugeCleared = Duration.ofNanos(System.nanoTime() - restored);
      awaitCondition(() -> TestRedis.call("ZCARD", slots).equals(":0"), "both slots given back");

      List<Integer> after = statuses(send(clients, key, 3));
      clients.shutdown();

      assertThat(leaseTtlMs).as("slot TTL: connect + total timeout + retry budget (60 s) + 30 s margin")
          .isBetween(1L, 101_000L);
      assertThat(gaugeCleared).as("from Redis back to the gauge clearing, no request sent").isLessThan(
          Duration.ofSeconds(3));
      assertThat(after).as("three at once for a key allowed two").containsExactlyInAnyOrder(200, 200, 429);
    }
  }

  private List<Future<Integer>> send(ExecutorService clients, String key, int n) {
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(clients.submit(() -> status(key)));
    }
    return answers;
  }

  private static List<Integer> statuses(List<Future<Integer>> answers) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> f : answers) {
      statuses.add(f.get(30, TimeUnit.SECONDS));
    }
    return statuses;
  }

  private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void failClosedRefusesLimitedRequestsWith503() {
    startGateway("closed");
    String limited = gateway.createKeyWithLimits(100, null);
    String unlimited = gateway.createKey();

    redis.cut();

    HttpResponse<String> refused = gateway.post("/v1/chat/completions", limited, HELLO);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("limits_unavailable");
    assertThat(refused.headers().firstValue("retry-after")).isPresent();
    assertThat(status(unlimited)).as("a key without limits does not need Redis").isEqualTo(200);
  }
}
