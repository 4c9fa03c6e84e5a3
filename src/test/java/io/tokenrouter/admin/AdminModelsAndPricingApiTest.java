package io.tokenrouter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.AdminCalls;
import io.tokenrouter.support.RecordingUpstream;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /admin/models} and {@code /admin/pricing}: mappings added, changed and removed, and
 * prices set, each audited and obeyed by the running gateway's next request without a restart
 * (file watching is off); each request's attempts in {@code /admin/requests}; and a provider key
 * refused where no master key is set to encrypt it.
 */
@Timeout(60)
class AdminModelsAndPricingApiTest {
  private static final String TOKEN = "admin-token-for-tests-0123456789";
  private static RecordingUpstream down;
  private static RecordingUpstream flaky;
  private static TestGateway gateway;
  private static AdminCalls admin;
  private static String key;

  @BeforeAll
  static void start() {
    down = new RecordingUpstream().failFirst(Integer.MAX_VALUE);
    flaky = new RecordingUpstream().failFirst(2);
    gateway = TestGateway.start("""
        admin: { token: %s }
        usage: { flush_interval: 20ms }
        routing: { reload: { watch: false }, retry: { per_target: 1, backoff: 1ms, max_backoff: 1ms } }
        providers:
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
          - { name: down, type: openai, base_url: "%s", api_key: sk-down }
          - { name: flaky, type: openai, base_url: "%s", api_key: sk-flaky }
        models:
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
          - { name: priced, targets: [ { provider: mock, model: priced-upstream } ] }
          - { name: retired, targets: [ { provider: mock, model: mock-chat } ] }
          - { name: flaky-model, targets: [ { provider: flaky, model: flaky-up } ] }
          - { name: fallback, targets: [ { provider: down, model: broken, priority: 0 }, { provider: mock, model: mock-chat, priority: 1 } ] }
        """.formatted(TOKEN, down.baseUrl(), flaky.baseUrl()), Map.of());
    admin = new AdminCalls(gateway, TOKEN);
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    down.close();
    flaky.close();
  }

  private static int chat(String model) {
    return gateway.post("/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}").statusCode();
  }

  private static JsonObject ok(AdminCalls.Answer a) {
    assertThat(a.status()).as(a.body()).isBetween(200, 201);
    return a.json();
  }

  @Test
  void aMappingAddedIsServedByTheNextRequestUnderItsNameAndAlias() {
    assertThat(chat("later")).isEqualTo(404);

    AdminCalls.Answer a = admin.post("/admin/models", """
        {"name":"later","aliases":["later-alias"],"targets":[{"provider":"mock","model":"mock-chat","weight":2}]}""");

    assertThat(a.status()).as(a.body()).isEqualTo(201);
    assertThat(a.json().getString("source")).isEqualTo("admin");
    assertThat(chat("later")).isEqualTo(200);
    assertThat(chat("later-alias")).isEqualTo(200);
    assertThat(admin.audit("model_mapping", "later").getFirst().getString("action")).isEqualTo("create");
  }

  @Test
  void aMappingFromTheFileRemovedHereIsNoLongerServed() {
    assertThat(chat("retired")).isEqualTo(200);

    ok(admin.delete("/admin/models/retired"));

    assertThat(chat("retired")).isEqualTo(404);
    assertThat(admin.get("/admin/models/retired").status()).isEqualTo(404);
    assertThat(admin.audit("model_mapping", "retired").getFirst().getString("action")).isEqualTo("delete");
  }

  @Test
  void aMappingChangedHereKeepsWhatTheChangeLeavesOut() {
    ok(admin.post("/admin/models", "{\"name\":\"changing\",\"strategy\":\"priority\",\"targets\":[{\"provider\":\"mock\",\"model\":\"mock-chat\"}]}"));

    JsonObject changed = ok(admin.patch("/admin/models/changing", "{\"aliases\":[\"changed-alias\"]}"));

    assertThat(changed.getString("strategy")).isEqualTo("priority");
    assertThat(changed.getJsonArray("targets").getJsonObject(0).getString("provider")).isEqualTo("mock");
    assertThat(chat("changed-alias")).isEqualTo(200);
    assertThat(admin.audit("model_mapping", "changing")).extracting(e -> e.getString("action"))
        .containsExactly("update", "create");
  }

  @Test
  void aWildcardMappingIsAddressedByItsNameAsItIs() {
    ok(admin.post("/admin/models", "{\"name\":\"vendor/*\",\"targets\":[{\"provider\":\"mock\"}]}"));

    assertThat(ok(admin.get("/admin/models/vendor/*")).getString("name")).isEqualTo("vendor/*");
    assertThat(chat("vendor/anything")).isEqualTo(200);
  }

  @Test
  void aMappingTheValidationRefusesIsNotStored() {
    AdminCalls.Answer a = admin.post("/admin/models", "{\"name\":\"bad\",\"targets\":[{\"provider\":\"ghost\",\"model\":\"x\"}]}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().getString("code")).isEqualTo("invalid_configuration");
    assertThat(a.error().getString("message")).contains("'ghost' is not a configured provider");
    assertThat(admin.get("/admin/models/bad").status()).isEqualTo(404);
    assertThat(admin.audit("model_mapping", "bad")).isEmpty();
  }

  @Test
  void modelInputIsCheckedAndUnknownOrTakenNamesRefused() {
    assertThat(admin.post("/admin/models", "{\"name\":\"x\",\"targets\":\"mock\"}").error().getString("param"))
        .isEqualTo("targets");
    assertThat(admin.post("/admin/models", "{\"name\":\"x\",\"targets\":[{\"provider\":\"mock\",\"weight\":-1}]}")
        .error().getString("message")).contains("weight");
    assertThat(admin.post("/admin/models", "{\"name\":\"x\"}").error().getString("param")).isEqualTo("targets");
    assertThat(admin.post("/admin/models", "{\"name\":\"mock-chat\",\"targets\":[{\"provider\":\"mock\"}]}").status())
        .isEqualTo(409);
    assertThat(admin.patch("/admin/models/nope", "{\"aliases\":[]}").status()).isEqualTo(404);
    assertThat(admin.delete("/admin/models/nope").status()).isEqualTo(404);
  }

  @Test
  void aPriceSetHereCostsTheNextRequest() {
    ok(admin.send("PUT", "/admin/pricing/priced-upstream", """
        {"provider":"mock","input_per_million":1000,"output_per_million":1000}""", null));
    BigDecimal first = costOfNextRequest();

    JsonObject price = ok(admin.send("PUT", "/admin/pricing/priced-upstream", """
        {"provider":"mock","input_per_million":3000,"output_per_million":3000}""", null));

    assertThat(price.getValue("input_per_million")).hasToString("3000");
    assertThat(price.getValue("cache_read_per_million")).as("no discount given: the input price").hasToString("3000");
    assertThat(first.signum()).isPositive();
    assertThat(costOfNextRequest()).isEqualByComparingTo(first.multiply(BigDecimal.valueOf(3)));
    assertThat(admin.audit("model_price", "priced-upstream")).extracting(e -> e.getString("action"))
        .containsExactly("update", "create");
  }

  private static BigDecimal costOfNextRequest() {
    int before = (int) gateway.records().stream().filter(r -> "priced".equals(r.get("model"))).count();
    assertThat(chat("priced")).isEqualTo(200);
    List<Map<String, Object>> rows = gateway.awaitRecordsOfModel("priced", before + 1);
    return (BigDecimal) rows.getLast().get("cost_usd");
  }

  @Test
  void aPricePatchChangesOnlyWhatItSets() {
    ok(admin.send("PUT", "/admin/pricing/patched-model", """
        {"provider":"mock","input_per_million":1,"output_per_million":2,"cache_read_per_million":0.1}""", null));

    JsonObject patched = ok(admin.patch("/admin/pricing/patched-model", "{\"output_per_million\":4}"));

    assertThat(patched.getValue("input_per_million")).hasToString("1");
    assertThat(patched.getValue("output_per_million")).hasToString("4");
    assertThat(patched.getValue("cache_read_per_million")).hasToString("0.1");
    ok(admin.delete("/admin/pricing/patched-model"));
    assertThat(admin.get("/admin/pricing/patched-model").status()).isEqualTo(404);
    assertThat(admin.audit("model_price", "patched-model")).extracting(e -> e.getString("action"))
        .containsExactly("delete", "update", "create");
  }

  @Test
  void priceInputIsCheckedAndAnUnknownModelIsNotFound() {
    AdminCalls.Answer negative = admin.send("PUT", "/admin/pricing/m", """
        {"provider":"mock","input_per_million":-1,"output_per_million":1}""", null);
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.error().getString("param")).isEqualTo("input_per_million");
    assertThat(admin.send("PUT", "/admin/pricing/m", "{\"provider\":\"mock\",\"input_per_million\":1}", null)
        .error().getString("param")).isEqualTo("output_per_million");
    assertThat(admin.patch("/admin/pricing/unpriced", "{\"input_per_million\":1}").status()).isEqualTo(404);
    assertThat(admin.delete("/admin/pricing/unpriced").status()).isEqualTo(404);
  }

  @Test
  void modelAndPriceChangesNeedTheToken() {
    for (AdminCalls calls : List.of(new AdminCalls(gateway, null), new AdminCalls(gateway, "wrong-token"))) {
      assertThat(calls.post("/admin/models", "{\"name\":\"x\",\"targets\":[{\"provider\":\"mock\"}]}").status())
          .isEqualTo(401);
      assertThat(calls.patch("/admin/models/mock-chat", "{\"aliases\":[]}").status()).isEqualTo(401);
      assertThat(calls.delete("/admin/models/mock-chat").status()).isEqualTo(401);
      assertThat(calls.get("/admin/models/mock-chat").status()).isEqualTo(401);
      assertThat(calls.send("PUT", "/admin/pricing/mock-chat", "{}", null).status()).isEqualTo(401);
      assertThat(calls.patch("/admin/pricing/gpt-4o", "{}").status()).isEqualTo(401);
      assertThat(calls.get("/admin/pricing/gpt-4o").status()).isEqualTo(401);
      assertThat(calls.delete("/admin/pricing/gpt-4o").error().getString("code")).isEqualTo("invalid_admin_token");
    }
  }

  @Test
  void eachAttemptOfARequestIsListedWithIt() {
    assertThat(chat("fallback")).isEqualTo(200);
    assertThat(chat("mock-chat")).isEqualTo(200);
    gateway.awaitRecordsOfModel("fallback", 1);
    gateway.awaitRecordsOfModel("mock-chat", 1);

    JsonObject row = ok(admin.get("/admin/requests?model=fallback")).getJsonArray("data").getJsonObject(0);

    JsonArray attempts = row.getJsonArray("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.getJsonObject(0).getString("target")).contains("down");
    assertThat(attempts.getJsonObject(0).getInteger("status")).isEqualTo(500);
    assertThat(attempts.getJsonObject(1).getInteger("status")).isEqualTo(200);
    JsonObject served = ok(admin.get("/admin/requests?model=mock-chat&limit=1")).getJsonArray("data").getJsonObject(0);
    assertThat(served.getJsonArray("attempts")).as("served by its first attempt").isEmpty();
    String[] csv = admin.send("GET", "/admin/requests?model=fallback&limit=1", null, "text/csv").body().split("\r\n");
    assertThat(csv[0]).endsWith(",ttft_ms,attempts");
    assertThat(csv[1]).as("the attempts as JSON in one cell").contains("\"[{\"\"target\"\":")
        .contains("\"\"status\"\":500").endsWith("}]\"");
  }

  @Test
  void aProvidersMaxRetriesIsObeyedByTheNextRequest() {
    assertThat(chat("flaky-model")).as("routing.retry.per_target 1: no retry").isEqualTo(502);

    assertThat(admin.patch("/admin/providers/flaky", "{\"max_retries\":1}").status()).isEqualTo(200);

    assertThat(chat("flaky-model")).as("its second failure retried once").isEqualTo(200);
    assertThat(flaky.requests()).isEqualTo(3);
  }

  @Test
  void aProviderKeyIsRefusedWithoutAMasterKeySayingHowToSetOne() {
    AdminCalls.Answer a = admin.patch("/admin/providers/down", "{\"api_key\":\"sk-new-0000000000000000\"}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().getString("code")).isEqualTo("master_key_missing");
    assertThat(a.error().getString("message")).contains("TOKENROUTER_MASTER_KEY").contains("openssl rand -base64 32");
    assertThat(admin.audit("provider", "down")).isEmpty();
  }
}
