package io.tokenrouter.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestGateway;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plan's price multiplier reaches the recorded cost. The upstream reports 11 prompt tokens
 * (3 of them cached) and 7 completion tokens on gpt-4o-mini (0.15 input, 0.075 cache read, 0.60
 * output per million): 8 x 0.15 + 3 x 0.075 + 7 x 0.60 = 5.625 millionths of a dollar.
 */
class PlanPricingTest {
  private static final String HELLO = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private FakeOpenAiServer upstream;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    upstream = new FakeOpenAiServer();
    gateway = TestGateway.start("""
        providers: [ { name: openai, type: openai, base_url: "%s", api_key: sk-test } ]
        models: [ { name: gpt-4o-mini, targets: [ { provider: openai, model: gpt-4o-mini } ] } ]
        """.formatted(upstream.baseUrl()));
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  private BigDecimal costFor(String plan) {
    String key = gateway.createKey(gateway.createUser(plan, null, Limits.NONE), Limits.NONE);
    UUID keyId = gateway.keyId(key);
    assertThat(gateway.post("/v1/chat/completions", key, HELLO).statusCode()).isEqualTo(200);
    return (BigDecimal) gateway.awaitRecordsOf(keyId, 1).getFirst().get("cost_usd");
  }

  @Test
  void freePlanPaysListPrice() {
    assertThat(costFor("free")).isEqualByComparingTo("0.000005625");
  }

  @Test
  void proPlanPaysEightyPercent() {
    assertThat(costFor("pro")).isEqualByComparingTo("0.0000045");
  }
}
