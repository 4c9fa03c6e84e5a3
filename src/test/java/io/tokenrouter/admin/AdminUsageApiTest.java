package io.tokenrouter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.AdminCalls;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /admin/usage} and {@code /admin/requests} after real requests: three to gpt-4o through a
 * fake OpenAI that reports 1,024 of 1,200 prompt tokens read from its cache, one to the mock.
 * Each gpt-4o request costs (176 x 2.50 + 1024 x 1.25 + 300 x 10.00) / 1e6 = 0.00472 USD and its
 * cache reads saved 1024 x (2.50 - 1.25) / 1e6 = 0.00128 USD.
 */
class AdminUsageApiTest {
  private static final String TOKEN = "admin-token-for-tests-0123456789";
  private static FakeOpenAiServer openai;
  private static TestGateway gateway;
  private static AdminCalls admin;
  private static String keyId;
  private static String otherKeyId;

  @BeforeAll
  static void start() {
    openai = new FakeOpenAiServer();
    openai.reply((request, response) -> response.putHeader("content-type", "application/json").end(
        FakeOpenAiServer.completion(request.getString("model"), "hi").put("usage", new JsonObject("""
            {"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
             "prompt_tokens_details":{"cached_tokens":1024}}""")).encode()));
    gateway = TestGateway.start("""
        admin: { token: %s }
        usage: { flush_interval: 20ms }
        providers:
          - { name: openai, type: openai, base_url: "%s", api_key: sk-test }
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
        models:
          - { name: gpt-4o, targets: [ { provider: openai, model: gpt-4o } ] }
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
        """.formatted(TOKEN, openai.baseUrl()));
    admin = new AdminCalls(gateway, TOKEN);
    JsonObject key = admin.post("/admin/api-keys", "{\"name\":\"reporting\",\"project_id\":\"search\"}").json();
    JsonObject other = admin.post("/admin/api-keys", "{\"name\":\"other\",\"project_id\":\"chat\"}").json();
    keyId = key.getString("id");
    otherKeyId = other.getString("id");
    for (int i = 0; i < 3; i++) {
      chat(key.getString("raw_key"), "gpt-4o");
    }
    chat(other.getString("raw_key"), "mock-chat");
    gateway.post("/v1/chat/completions", other.getString("raw_key"), "{\"model\":\"nope\",\"messages\":[]}");
    gateway.awaitRecords(5);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    openai.close();
  }

  private static void chat(String key, String model) {
    assertThat(gateway.post("/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode())
        .isEqualTo(200);
  }

  private static JsonObject row(JsonObject report, String field, String value) {
    return report.getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(r -> value.equals(r.getString(field))).findFirst().orElseThrow(() -> new AssertionError(report));
  }

  @Test
  void usageByKeyHasRequestsTokensCostCacheHitRateAndSavings() {
    JsonObject report = admin.get("/admin/usage").json();

    JsonObject mine = row(report, "key_id", keyId);
    assertThat(report.getJsonArray("group_by")).containsExactly("key");
    assertThat(mine.getString("key_name")).isEqualTo("reporting");
    assertThat(mine.getLong("requests")).isEqualTo(3);
    assertThat(mine.getLong("prompt_tokens")).isEqualTo(3600);
    assertThat(mine.getLong("completion_tokens")).isEqualTo(900);
    assertThat(mine.getLong("cache_read_tokens")).isEqualTo(3072);
    assertThat(mine.getLong("total_tokens")).isEqualTo(4500);
    assertThat(mine.getValue("cost_usd")).hasToString("0.01416");
    assertThat(mine.getValue("saved_usd")).hasToString("0.00384");
    assertThat(mine.getValue("cache_hit_rate")).hasToString("0.8533");
    assertThat(report.getString("to")).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
  }

  @Test
  void usageGroupsByModelProviderProjectAndDayAndFilters() {
    JsonObject byModel = admin.get("/admin/usage?group_by=model,provider").json();
    JsonObject byProject = admin.get("/admin/usage?group_by=project").json();
    JsonObject byDay = admin.get("/admin/usage?group_by=day&key_id=" + keyId).json();

    assertThat(row(byModel, "model", "gpt-4o").getString("provider")).isEqualTo("openai");
    assertThat(row(byModel, "model", "mock-chat").getLong("requests")).isEqualTo(1);
    assertThat(row(byProject, "project_id", "search").getLong("requests")).isEqualTo(3);
    assertThat(byDay.getJsonArray("data")).singleElement().satisfies(d -> assertThat(((JsonObject) d)
        .getString("day")).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString()));
    assertThat(byDay.getJsonObject("totals").getLong("requests")).isEqualTo(3);
  }

  @Test
  void usagePagesAndTotalsCoverEveryGroup() {
    JsonObject page = admin.get("/admin/usage?group_by=key&limit=1").json();

    assertThat(page.getJsonArray("data")).hasSize(1);
    assertThat(page.getLong("total")).isEqualTo(2);
    assertThat(page.getBoolean("has_more")).isTrue();
    assertThat(page.getJsonObject("totals").getLong("requests")).isEqualTo(4);
  }

  @Test
  void usageIsExportedAsCsvByParameterOrAcceptHeader() {
    AdminCalls.Answer byParameter = admin.get("/admin/usage?group_by=model&format=csv");
    AdminCalls.Answer byHeader = admin.send("GET", "/admin/usage?group_by=model", null, "text/csv");

    assertThat(byParameter.response().headers().firstValue("content-type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/csv"));
    List<String> lines = byParameter.body().lines().toList();
    assertThat(lines.getFirst()).isEqualTo("model,requests,prompt_tokens,completion_tokens,cache_read_tokens,"
        + "cache_write_tokens,total_tokens,cost_usd,saved_usd,cache_hit_rate");
    assertThat(lines).contains("gpt-4o,3,3600,900,3072,0,4500,0.01416,0.00384,0.8533");
    assertThat(byHeader.body()).isEqualTo(byParameter.body());
  }

  @Test
  void usageRefusesBadParameters() {
    AdminCalls.Answer groups = admin.get("/admin/usage?group_by=modle");
    assertThat(groups.status()).isEqualTo(400);
    assertThat(groups.error().getString("message")).contains("Did you mean 'model'?");
    assertThat(admin.get("/admin/usage?from=yesterday").error().getString("param")).isEqualTo("from");
    assertThat(admin.get("/admin/usage?from=2026-02-01&to=2026-01-01").error().getString("param")).isEqualTo("from");
    assertThat(admin.get("/admin/usage?format=xml").error().getString("param")).isEqualTo("format");
    assertThat(admin.get("/admin/usage?user=nobody@example.com").status()).isEqualTo(400);
    assertThat(new AdminCalls(gateway, null).get("/admin/usage").status()).isEqualTo(401);
    assertThat(new AdminCalls(gateway, "wrong").get("/admin/usage").error().getString("code"))
        .isEqualTo("invalid_admin_token");
  }

  @Test
  void requestsLogShowsStatusLatencyTokensCacheHitAndCostNewestFirst() {
    JsonArray mine = admin.get("/admin/requests?key_id=" + keyId).json().getJsonArray("data");

    assertThat(mine).hasSize(3);
    JsonObject newest = mine.getJsonObject(0);
    assertThat(newest.getInteger("status")).isEqualTo(200);
    assertThat(newest.getString("model")).isEqualTo("gpt-4o");
    assertThat(newest.getString("key_name")).isEqualTo("reporting");
    assertThat(newest.getInteger("prompt_tokens")).isEqualTo(1200);
    assertThat(newest.getBoolean("cache_hit")).isTrue();
    assertThat(newest.getValue("cost_usd")).hasToString("0.00472");
    assertThat(newest.getInteger("latency_ms")).isNotNull();
    assertThat(newest.getString("created_at").compareTo(mine.getJsonObject(2).getString("created_at")))
        .isGreaterThanOrEqualTo(0);
  }

  @Test
  void requestsLogPagesByCursorWithoutOverlap() {
    JsonObject first = admin.get("/admin/requests?limit=2").json();
    JsonObject second = admin.get("/admin/requests?limit=2&before=" + first.getString("next_cursor")).json();
    JsonObject third = admin.get("/admin/requests?limit=2&before=" + second.getString("next_cursor")).json();

    List<String> ids = new java.util.ArrayList<>();
    for (JsonObject page : List.of(first, second, third)) {
      page.getJsonArray("data").forEach(r -> ids.add(((JsonObject) r).getString("id")));
    }
    assertThat(ids).hasSize(5).doesNotHaveDuplicates();
    assertThat(first.getBoolean("has_more")).isTrue();
    assertThat(third.getBoolean("has_more")).isFalse();
    assertThat(third.getValue("next_cursor")).isNull();
  }

  @Test
  void requestsLogFiltersFailures() {
    JsonArray failed = admin.get("/admin/requests?status=error").json().getJsonArray("data");

    assertThat(failed).singleElement().satisfies(r -> {
      assertThat(((JsonObject) r).getInteger("status")).isEqualTo(400);
      assertThat(((JsonObject) r).getString("key_id")).isEqualTo(otherKeyId);
    });
  }

  @Test
  void requestsLogIsExportedAsCsv() {
    List<String> lines = admin.get("/admin/requests?key_id=" + keyId + "&format=csv").body().lines().toList();

    assertThat(lines).hasSize(4);
    assertThat(lines.getFirst()).startsWith("id,request_id,created_at,key_id,key_name,");
    assertThat(lines.get(1)).contains(",gpt-4o,openai,gpt-4o,false,200,,1200,300,1024,0,true,false,0.00472,");
  }

  @Test
  void requestsLogRefusesABadCursor() {
    AdminCalls.Answer a = admin.get("/admin/requests?before=xyz");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().getString("param")).isEqualTo("before");
  }
}
