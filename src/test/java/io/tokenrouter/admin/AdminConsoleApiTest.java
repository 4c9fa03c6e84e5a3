package io.tokenrouter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.AdminCalls;
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
 * The admin endpoints the console reads besides keys, users and usage: answer statuses over time
 * ({@code /admin/usage/statuses}), the configured providers and model mappings (secrets never
 * shown) and the price list; each refused without the token, with a wrong one, and for bad input.
 */
class AdminConsoleApiTest {
  private static final String TOKEN = "admin-token-for-tests-0123456789";
  private static TestGateway gateway;
  private static AdminCalls admin;
  private static String keyId;
  private static String today;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("""
        admin: { token: %s }
        usage: { flush_interval: 20ms }
        providers:
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
          - name: upstream
            type: openai
            base_url: "https://someone:hunter2@llm.example.com/v1?key=abc"
            api_key: sk-never-shown-0123
            headers: { X-Org-Token: org-secret }
            timeouts: { connect: 2s, total: 90s }
        models:
          - { name: gpt-4o-mini, targets: [ { provider: mock, model: gpt-4o-mini }, { provider: upstream, model: gpt-4o-mini } ] }
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
        routes:
          - { name: tts, path: /v1/audio/speech, provider: upstream, upstream_path: /audio/speech, kind: binary }
        """.formatted(TOKEN));
    admin = new AdminCalls(gateway, TOKEN);
    JsonObject key = admin.post("/admin/api-keys", "{\"name\":\"statuses\",\"project_id\":\"p1\"}").json();
    keyId = key.getString("id");
    String raw = key.getString("raw_key");
    chat(raw, "gpt-4o-mini");
    chat(raw, "gpt-4o-mini");
    chat(raw, "mock-chat");
    chat(raw, "no-such-model");
    gateway.awaitRecords(4);
    today = LocalDate.now(ZoneOffset.UTC).toString();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static void chat(String key, String model) {
    gateway.post("/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  private static List<JsonObject> data(JsonObject page) {
    return page.getJsonArray("data").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void statusesCountEveryAnswerPerDayRefusalsIncluded() {
    AdminCalls.Answer a = admin.get("/admin/usage/statuses?key_id=" + keyId);

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonObject report = a.json();
    assertThat(report.getJsonArray("group_by")).containsExactly("day");
    assertThat(report.getString("to")).isEqualTo(today);
    assertThat(data(report)).singleElement().satisfies(day -> {
      assertThat(day.getString("day")).isEqualTo(today);
      assertThat(day.getLong("requests")).isEqualTo(4);
      assertThat(day.getLong("errors")).isEqualTo(1);
      assertThat(day.getDouble("error_rate")).isEqualTo(0.25);
    });
    assertThat(report.getJsonObject("totals").getLong("requests")).isEqualTo(4);
  }

  @Test
  void statusesGroupByStatusModelAndProviderAndFilter() {
    JsonObject byStatus = admin.get("/admin/usage/statuses?group_by=status&key_id=" + keyId).json();
    assertThat(data(byStatus)).extracting(r -> r.getInteger("status") + "x" + r.getLong("requests"))
        .containsExactly("200x3", "404x1");

    JsonObject byProvider = admin.get("/admin/usage/statuses?group_by=provider,model&key_id=" + keyId).json();
    assertThat(data(byProvider)).extracting(r -> r.getString("provider") + "/" + r.getString("model") + "x"
        + r.getLong("requests")).containsExactly("mock/gpt-4o-minix2", "mock/mock-chatx1",
        "null/no-such-modelx1");

    JsonObject mockOnly = admin.get("/admin/usage/statuses?group_by=none&provider=mock&project_id=p1").json();
    assertThat(mockOnly.getJsonObject("totals").getLong("requests")).isEqualTo(3);
    assertThat(mockOnly.getJsonObject("totals").getLong("errors")).isZero();

    JsonObject byKey = admin.get("/admin/usage/statuses?group_by=key&key_id=" + keyId).json();
    assertThat(data(byKey).getFirst().getString("key_name")).isEqualTo("statuses");
  }

  @Test
  void statusesAsCsv() {
    AdminCalls.Answer a = admin.send("GET", "/admin/usage/statuses?group_by=day,status&key_id=" + keyId, null,
        "text/csv");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.response().headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("text/csv"));
    assertThat(a.body().split("\r\n")).containsExactly("day,status,requests,errors,error_rate",
        today + ",200,3,0,0.0000", today + ",404,1,1,1.0000");
  }

  @Test
  void statusesRefuseBadInput() {
    JsonObject badGroup = admin.get("/admin/usage/statuses?group_by=stauts").error();
    assertThat(badGroup.getString("param")).isEqualTo("group_by");
    assertThat(badGroup.getString("message")).contains("Did you mean 'status'");
    assertThat(admin.get("/admin/usage/statuses?from=yesterday").error().getString("param")).isEqualTo("from");
    assertThat(admin.get("/admin/usage/statuses?from=2026-02-01&to=2026-01-01").status()).isEqualTo(400);
    assertThat(admin.get("/admin/usage/statuses?key_id=nope").error().getString("param")).isEqualTo("key_id");
    assertThat(admin.get("/admin/usage/statuses?user=nobody@example.com").error().getString("param"))
        .isEqualTo("user");
    assertThat(admin.get("/admin/usage/statuses?colour=red").error().getString("param")).isEqualTo("colour");
  }

  @Test
  void providersAreListedWithoutSecrets() {
    AdminCalls.Answer a = admin.get("/admin/providers");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.body()).doesNotContain("sk-never-shown").doesNotContain("hunter2").doesNotContain("org-secret")
        .doesNotContain("abc");
    List<JsonObject> providers = data(a.json());
    assertThat(providers).extracting(p -> p.getString("name")).containsExactly("mock", "upstream");
    JsonObject upstream = providers.get(1);
    assertThat(upstream.getString("type")).isEqualTo("openai");
    assertThat(upstream.getString("base_url")).isEqualTo("https://llm.example.com/v1?key=[hidden]");
    assertThat(upstream.getJsonObject("api_key").getBoolean("set")).isTrue();
    assertThat(upstream.getJsonObject("api_key").getJsonArray("ends_with")).containsExactly("…0123");
    assertThat(upstream.getJsonObject("headers").getString("X-Org-Token")).isEqualTo("[hidden]");
    assertThat(upstream.getJsonObject("timeouts").getString("connect")).isEqualTo("PT2S");
    assertThat(upstream.getJsonObject("timeouts").getString("total")).isEqualTo("PT1M30S");
    assertThat(upstream.getJsonArray("models")).containsExactly("gpt-4o-mini");
    assertThat(upstream.containsKey("mock")).isFalse();
    assertThat(providers.getFirst().getJsonObject("api_key").getBoolean("set")).isFalse();
    assertThat(providers.getFirst().getJsonArray("models")).containsExactly("gpt-4o-mini", "mock-chat");
  }

  @Test
  void modelMappingsAndRoutesAreListedInOrder() {
    JsonObject models = admin.get("/admin/models").json();

    assertThat(data(models)).extracting(m -> m.getString("name")).containsExactly("gpt-4o-mini", "mock-chat");
    JsonArray targets = data(models).getFirst().getJsonArray("targets");
    assertThat(targets.getJsonObject(0).getString("provider")).isEqualTo("mock");
    assertThat(targets.getJsonObject(1).getString("provider")).isEqualTo("upstream");
    JsonObject route = models.getJsonArray("routes").getJsonObject(0);
    assertThat(route.getString("path")).isEqualTo("/v1/audio/speech");
    assertThat(route.getString("upstream_path")).isEqualTo("/audio/speech");
  }

  @Test
  void thePriceListPerMillionTokens() {
    JsonObject prices = admin.get("/admin/pricing").json();

    assertThat(prices.getString("currency")).isEqualTo("USD");
    JsonObject mini = data(prices).stream().filter(p -> p.getString("model").equals("gpt-4o-mini")).findFirst()
        .orElseThrow();
    assertThat(mini.getString("provider")).isEqualTo("openai");
    assertThat(mini.getDouble("input_per_million")).isEqualTo(0.15);
    assertThat(mini.getDouble("output_per_million")).isEqualTo(0.6);
    assertThat(mini.getDouble("cache_read_per_million")).isEqualTo(0.075);
    assertThat(mini.getDouble("cache_write_per_million")).as("no discount: billed at the input price")
        .isEqualTo(0.15);
    assertThat(admin.get("/admin/pricing?model=x").error().getString("param")).isEqualTo("model");
  }

  @Test
  void everyNewRouteNeedsTheToken() {
    for (String path : List.of("/admin/usage/statuses", "/admin/providers", "/admin/models", "/admin/pricing")) {
      AdminCalls.Answer none = new AdminCalls(gateway, null).get(path);
      AdminCalls.Answer wrong = new AdminCalls(gateway, "wrong-token").get(path);
      assertThat(none.status()).as(path).isEqualTo(401);
      assertThat(wrong.status()).as(path).isEqualTo(401);
      assertThat(wrong.error().getString("code")).isEqualTo("invalid_admin_token");
    }
  }
}
