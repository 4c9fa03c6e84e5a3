package io.tokenrouter.limit;

import io.tokenrouter.caller.Limits;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.CuttableTcpProxy;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import java.net.http.HttpResponse;
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
