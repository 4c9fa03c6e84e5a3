package io.tokenrouter;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.auth.ApiKeys;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.StoredKey;
import io.tokenrouter.support.FakeAnthropicServer;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exact billing end to end: each provider's usage shape, as its fake upstream reports it, priced
 * by the gateway from the migrated price list and stored in {@code requests.cost_usd}, rolled up
 * into {@code daily_usage} and {@code cache_stats}. Every expected figure is worked out by hand
 * in the comment next to it. The key's user is on the free plan (multiplier 1).
 */
@Timeout(60)
class BillingGatewayTest {
  private static final String CHAT = "/v1/chat/completions";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"H2", "PostgreSQL"})
  void eachProvidersUsageIsBilledExactlyAndRolledUp(String engine) throws Exception {
    TestDatabase postgres = engine.equals("PostgreSQL") ? TestDatabases.postgres() : null;
    try (FakeOpenAiServer openai = new FakeOpenAiServer(); FakeOpenAiServer deepseek = new FakeOpenAiServer();
        FakeAnthropicServer anthropic = FakeAnthropicServer.start()) {
      String database = postgres == null ? ""
          : "database: { url: \"" + postgres.postgresUrlThrough(TestDatabases.POSTGRES_PORT) + "\" }\n";
      try (TestGateway gateway = TestGateway.start(database + """
          usage: { flush_interval: 20ms }
          providers:
            - { name: openai, type: openai, base_url: "%s", api_key: sk-test }
            - { name: deepseek, type: openai, base_url: "%s", api_key: sk-test }
            - { name: anthropic, type: anthropic, base_url: "%s", api_key: sk-ant-test }
          models:
            - { name: gpt-4o, targets: [ { provider: openai, model: gpt-4o-2024-08-06 } ] }
            - { name: deepseek-chat, targets: [ { provider: deepseek, model: deepseek-chat } ] }
            - { name: claude-sonnet, targets: [ { provider: anthropic, model: claude-sonnet-4-20250514 } ] }
            - { name: mystery, targets: [ { provider: openai, model: mystery-model } ] }
          """.formatted(openai.baseUrl(), deepseek.baseUrl(), anthropic.baseUrl()))) {
        run(gateway, openai, deepseek, anthropic);
      }
    } finally {
      if (postgres != null) {
        postgres.drop();
      }
    }
  }

  private static void run(TestGateway gateway, FakeOpenAiServer openai, FakeOpenAiServer deepseek,
      FakeAnthropicServer anthropic) throws Exception {
    UUID user = UUID.randomUUID();
    String key = keyOf(gateway, user);
    openai.reply((request, response) -> response.putHeader("content-type", "application/json").end(
        FakeOpenAiServer.completion(request.getString("model"), "hi").put("usage", new JsonObject("""
            {"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
             "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
             "completion_tokens_details":{"reasoning_tokens":0}}""")).encode()));
    deepseek.reply((request, response) -> response.putHeader("content-type", "application/json").end(
        FakeOpenAiServer.completion(request.getString("model"), "hi").put("usage", new JsonObject("""
            {"prompt_tokens":1000,"completion_tokens":200,"total_tokens":1200,
             "prompt_cache_hit_tokens":640,"prompt_cache_miss_tokens":360}""")).encode()));
    anthropic.replyEvents(FakeAnthropicServer.textStream("msg_1", List.of("hi"),
        FakeAnthropicServer.usage(100, 1, 2000, 3000), FakeAnthropicServer.usage(100, 500, 2000, 3000)));

    assertThat(gateway.post(CHAT, key, body("gpt-4o", false)).statusCode()).isEqualTo(200);
    assertThat(gateway.post(CHAT, key, body("deepseek-chat", false)).statusCode()).isEqualTo(200);
    assertThat(gateway.post(CHAT, key, body("claude-sonnet", true)).statusCode()).isEqualTo(200);
    assertThat(gateway.post(CHAT, key, body("mystery", false)).statusCode()).isEqualTo(200);

    Map<String, Map<String, Object>> byModel = new HashMap<>();
    for (Map<String, Object> row : gateway.awaitRecords(4)) {
      byModel.put((String) row.get("model"), row);
      assertThat(row.get("user_id")).isEqualTo(user);
      assertThat(row.get("project")).isEqualTo("billing-test");
    }
    // gpt-4o-2024-08-06 is priced as gpt-4o: (176 x 2.50 + 1024 x 1.25 + 300 x 10.00) / 1e6
    assertThat(byModel.get("gpt-4o").get("cost_usd")).isEqualTo(new BigDecimal("0.0047200000"));
    // deepseek-chat: (360 x 0.14 + 640 x 0.014 + 200 x 0.28) / 1e6
    assertThat(byModel.get("deepseek-chat").get("cost_usd")).isEqualTo(new BigDecimal("0.0001153600"));
    // claude-sonnet-4: (100 x 3.00 + 2000 x 3.75 + 3000 x 0.30 + 500 x 15.00) / 1e6
    assertThat(byModel.get("claude-sonnet").get("cost_usd")).isEqualTo(new BigDecimal("0.0162000000"));
    // no price for mystery-model: recorded at zero, and counted
    assertThat(byModel.get("mystery").get("cost_usd")).isEqualTo(new BigDecimal("0E-10"));
    assertThat(gateway.gateway().metrics().scrape())
        .contains("tokenrouter_unpriced_requests_total{model=\"mystery-model\"} 1.0")
        .contains("tokenrouter_cost_usd_total{model=\"gpt-4o\"} 0.00472");

    // one appended row per (day, user, key, provider's model, provider): prompt, completion,
    // cache read, cache write, requests, cost, cache hits
    assertThat(rows(gateway, "SELECT model, prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens,"
        + " request_count, cost_usd, cache_hit_count, provider FROM daily_usage WHERE user_id = ?", user))
        .containsOnly(
            List.of("gpt-4o-2024-08-06", 1200L, 300L, 1024L, 0L, 1, "0.00472", 1, "openai"),
            List.of("deepseek-chat", 1000L, 200L, 640L, 0L, 1, "0.00011536", 1, "deepseek"),
            List.of("claude-sonnet-4-20250514", 5100L, 500L, 3000L, 2000L, 1, "0.0162", 1, "anthropic"),
            List.of("mystery-model", 1200L, 300L, 1024L, 0L, 1, "0", 1, "openai"));
    // hits, misses, saved tokens, saved USD = (input price - cache read price) x cache reads / 1e6
    assertThat(rows(gateway, "SELECT model, hit_count, miss_count, saved_tokens, saved_usd FROM cache_stats"
        + " WHERE user_id = ?", user))
        .containsOnly(
            List.of("gpt-4o-2024-08-06", 1, 0, 1024L, "0.00128"),            // (2.50 - 1.25) x 1024
            List.of("deepseek-chat", 1, 0, 640L, "0.00008064"),              // (0.14 - 0.014) x 640
            List.of("claude-sonnet-4-20250514", 1, 0, 3000L, "0.0066"),      // (3.00 - 0.30) x 3000 - (3.75 - 3.00) x 2000
            List.of("mystery-model", 1, 0, 1024L, "0"));                     // no price, nothing known saved
  }

  private static String keyOf(TestGateway gateway, UUID user) throws SQLException {
    try (Connection c = gateway.gateway().database().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO users (id, email, name) VALUES (?, ?, ?)")) {
      ps.setObject(1, user);
      ps.setString(2, user + "@example.com");
      ps.setString(3, "Billing Test");
      ps.executeUpdate();
    }
    String raw = ApiKeys.generate();
    new ApiKeyRepository(gateway.gateway().database().dataSource()).insert(new StoredKey(UUID.randomUUID(), "billing",
        ApiKeys.hash(raw), ApiKeys.displayPrefix(raw), List.of(), false, null, Instant.now(), user, "billing-test",
        Limits.NONE));
    return raw;
  }

  private static String body(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  /** Rows as lists, decimals as plain strings without trailing zeros (scale differs by engine). */
  private static List<List<Object>> rows(TestGateway gateway, String sql, UUID user) throws SQLException {
    try (Connection c = gateway.gateway().database().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, user);
      try (ResultSet rs = ps.executeQuery()) {
        List<List<Object>> rows = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= columns; i++) {
            Object value = rs.getObject(i);
            row.add(value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : value);
          }
          rows.add(row);
        }
        return rows;
      }
    }
  }
}
