package io.tokenrouter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.AdminCalls;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /admin/api-keys}: seed 004's key management, every change audited and felt at once. */
class AdminKeysApiTest {
  private static final String TOKEN = "admin-token-for-tests-0123456789";
  private static final String SEED_004_BODY = """
      {"name":"demo-key","project_id":"demo","allowed_models":["gpt-4o-mini","text-embedding-3-small"],
       "rpm_limit":60,"tpm_limit":120000,"daily_budget":5,"monthly_budget":100,"status":"enabled"}""";
  private static TestGateway gateway;
  private static AdminCalls admin;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("""
        admin: { token: %s }
        auth: { cache_ttl: 60s }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
        models:
          - { name: gpt-4o-mini, targets: [ { provider: mock, model: mock-chat } ] }
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
        """.formatted(TOKEN));
    admin = new AdminCalls(gateway, TOKEN);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static JsonObject create(String body) {
    AdminCalls.Answer a = admin.post("/admin/api-keys", body);
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json();
  }

  private static int chat(String key, String model) {
    return gateway.post("/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode();
  }

  @Test
  void seed004CreateAnswersTheRawKeyOnceWithEveryFieldAsSent() {
    JsonObject key = create(SEED_004_BODY);

    assertThat(key.getString("raw_key")).startsWith("tr-");
    assertThat(key.getString("name")).isEqualTo("demo-key");
    assertThat(key.getString("project_id")).isEqualTo("demo");
    assertThat(key.getJsonArray("allowed_models")).containsExactly("gpt-4o-mini", "text-embedding-3-small");
    assertThat(key.getInteger("rpm_limit")).isEqualTo(60);
    assertThat(key.getInteger("tpm_limit")).isEqualTo(120000);
    assertThat(key.getValue("daily_budget")).hasToString("5");
    assertThat(key.getValue("monthly_budget")).hasToString("100");
    assertThat(key.getString("status")).isEqualTo("active");
    AdminCalls.Answer again = admin.get("/admin/api-keys/" + key.getString("id"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).doesNotContain(key.getString("raw_key")).doesNotContain("raw_key")
        .doesNotContain("key_hash");
  }

  @Test
  void aKeyTurnsPipelineStagesOffAndAnUnknownStageIsNamed() {
    JsonObject key = create("{\"name\":\"raw-client\",\"pipeline_off\":[\"Dedup\",\"cache-injector\"]}");
    assertThat(key.getJsonArray("pipeline_off")).containsExactly("dedup", "cache_injector");

    AdminCalls.Answer changed = admin.patch("/admin/api-keys/" + key.getString("id"), "{\"pipeline_off\":[]}");
    assertThat(changed.json().getJsonArray("pipeline_off")).isEmpty();

    AdminCalls.Answer refused = admin.post("/admin/api-keys", "{\"name\":\"x\",\"pipeline_off\":[\"dedupe\"]}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getJsonObject("error").getString("message"))
        .contains("'dedupe' is not a pipeline stage").contains("cache_injector, dedup");
  }

  @Test
  void createdKeyServesItsAllowedModelsOnly() {
    String raw = create(SEED_004_BODY).getString("raw_key");

    assertThat(chat(raw, "gpt-4o-mini")).isEqualTo(200);
    assertThat(chat(raw, "mock-chat")).isEqualTo(403);
  }

  @Test
  void creationIsAuditedWithoutTheRawKey() {
    JsonObject key = create(SEED_004_BODY);

    List<JsonObject> audit = admin.audit("api_key", key.getString("id"));

    assertThat(audit).singleElement().satisfies(e -> {
      assertThat(e.getString("actor")).isEqualTo("admin");
      assertThat(e.getString("action")).isEqualTo("create");
      assertThat(e.getJsonObject("details").getJsonObject("set").getString("name")).isEqualTo("demo-key");
      assertThat(e.getString("request_id")).isNotBlank();
      assertThat(e.getString("created_at")).isNotBlank();
    });
    assertThat(audit.toString()).doesNotContain(key.getString("raw_key"));
  }

  @Test
  void listFiltersByProjectStateAndNameAndPages() {
    String project = "p" + System.nanoTime();
    JsonObject a = create("{\"name\":\"alpha-search\",\"project_id\":\"" + project + "\"}");
    JsonObject b = create("{\"name\":\"beta-search\",\"project_id\":\"" + project + "\"}");
    JsonObject c = create("{\"name\":\"gamma\",\"project_id\":\"" + project + "\",\"status\":\"disabled\"}");

    JsonObject firstPage = admin.get("/admin/api-keys?project_id=" + project + "&limit=2").json();
    JsonObject secondPage = admin.get("/admin/api-keys?project_id=" + project + "&limit=2&offset=2").json();
    JsonObject disabled = admin.get("/admin/api-keys?project_id=" + project + "&state=disabled").json();
    JsonObject named = admin.get("/admin/api-keys?project_id=" + project + "&name=SEARCH").json();

    assertThat(firstPage.getLong("total")).isEqualTo(3);
    assertThat(firstPage.getBoolean("has_more")).isTrue();
    assertThat(firstPage.getInteger("next_offset")).isEqualTo(2);
    assertThat(ids(firstPage)).containsExactly(c.getString("id"), b.getString("id"));
    assertThat(ids(secondPage)).containsExactly(a.getString("id"));
    assertThat(ids(disabled)).containsExactly(c.getString("id"));
    assertThat(ids(named)).containsExactlyInAnyOrder(a.getString("id"), b.getString("id"));
  }

  @Test
  void listFiltersByUser() {
    JsonObject user = admin.post("/admin/users", "{\"email\":\"keys-" + System.nanoTime() + "@example.com\"}").json();
    JsonObject mine = create("{\"name\":\"mine\",\"user\":\"" + user.getString("email") + "\"}");
    create("{\"name\":\"not mine\"}");

    assertThat(ids(admin.get("/admin/api-keys?user=" + user.getString("email")).json()))
        .containsExactly(mine.getString("id"));
    assertThat(ids(admin.get("/admin/api-keys?user_id=" + user.getString("id")).json()))
        .containsExactly(mine.getString("id"));
  }

  @Test
  void patchChangesLimitsBudgetsAllowlistAndExpiryAndIsAuditedWithTheOldValues() {
    JsonObject key = create(SEED_004_BODY);
    String id = key.getString("id");

    AdminCalls.Answer a = admin.patch("/admin/api-keys/" + id, """
        {"rpm_limit":10,"daily_budget":"2.50","monthly_budget":null,"allowed_models":["mock-*"],
         "expires_at":"2099-12-31"}""");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonObject changed = a.json();
    assertThat(changed.getInteger("rpm_limit")).isEqualTo(10);
    assertThat(changed.getInteger("tpm_limit")).isEqualTo(120000);
    assertThat(changed.getValue("daily_budget")).hasToString("2.5");
    assertThat(changed.getValue("monthly_budget")).isNull();
    assertThat(changed.getJsonArray("allowed_models")).containsExactly("mock-*");
    assertThat(changed.getString("expires_at")).isEqualTo("2100-01-01T00:00:00Z");
    assertThat(changed.getBoolean("propagated")).isTrue();
    JsonObject update = admin.audit("api_key", id).getFirst();
    assertThat(update.getString("action")).isEqualTo("update");
    assertThat(update.getJsonObject("details").getJsonObject("was").getInteger("rpm_limit")).isEqualTo(60);
    assertThat(update.getJsonObject("details").getJsonObject("set").getInteger("rpm_limit")).isEqualTo(10);
  }

  @Test
  void allowlistChangeAppliesToTheNextRequest() {
    String raw = create("{\"name\":\"k\",\"allowed_models\":[\"gpt-4o-mini\"]}").getString("raw_key");
    assertThat(chat(raw, "mock-chat")).isEqualTo(403);
    String id = gateway.keyId(raw).toString();

    admin.patch("/admin/api-keys/" + id, "{\"allowed_models\":[\"mock-chat\"]}");

    assertThat(chat(raw, "mock-chat")).isEqualTo(200);
  }

  @Test
  void disabledKeyIsRefusedAtOnceAndEnabledAgainWorks() {
    String raw = create("{\"name\":\"k\"}").getString("raw_key");
    String id = gateway.keyId(raw).toString();
    assertThat(chat(raw, "mock-chat")).isEqualTo(200);

    JsonObject disabled = admin.patch("/admin/api-keys/" + id, "{\"status\":\"disabled\"}").json();
    int whileDisabled = chat(raw, "mock-chat");
    admin.patch("/admin/api-keys/" + id, "{\"status\":\"enabled\"}");

    assertThat(disabled.getString("status")).isEqualTo("disabled");
    assertThat(whileDisabled).isEqualTo(401);
    assertThat(chat(raw, "mock-chat")).isEqualTo(200);
  }

  @Test
  void revokedKeyIsRefusedAtOnceCannotBeChangedAndTheRevokeIsAudited() {
    String raw = create("{\"name\":\"k\"}").getString("raw_key");
    String id = gateway.keyId(raw).toString();
    assertThat(chat(raw, "mock-chat")).isEqualTo(200);

    AdminCalls.Answer revoked = admin.delete("/admin/api-keys/" + id);

    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().getString("status")).isEqualTo("revoked");
    assertThat(chat(raw, "mock-chat")).isEqualTo(401);
    AdminCalls.Answer patch = admin.patch("/admin/api-keys/" + id, "{\"status\":\"enabled\"}");
    assertThat(patch.status()).isEqualTo(409);
    assertThat(patch.error().getString("message")).contains("revoked");
    assertThat(admin.audit("api_key", id)).extracting(e -> e.getString("action"))
        .containsExactly("revoke", "create");
  }

  @Test
  void expiredKeyShowsAsExpired() {
    JsonObject key = create("{\"name\":\"old\",\"expires_at\":\"2001-01-01T00:00:00Z\"}");

    assertThat(key.getString("status")).isEqualTo("expired");
    assertThat(chat(key.getString("raw_key"), "mock-chat")).isEqualTo(401);
  }

  @Test
  void withoutTheTokenEveryRouteIsRefused() {
    AdminCalls anonymous = new AdminCalls(gateway, null);

    for (AdminCalls.Answer a : List.of(anonymous.get("/admin/api-keys"),
        anonymous.post("/admin/api-keys", SEED_004_BODY),
        anonymous.patch("/admin/api-keys/00000000-0000-0000-0000-000000000000", "{}"),
        anonymous.delete("/admin/api-keys/00000000-0000-0000-0000-000000000000"))) {
      assertThat(a.status()).isEqualTo(401);
      assertThat(a.error().getString("code")).isEqualTo("invalid_admin_token");
    }
  }

  @Test
  void aWrongTokenIsRefused() {
    AdminCalls.Answer a = new AdminCalls(gateway, "not-the-token").post("/admin/api-keys", SEED_004_BODY);

    assertThat(a.status()).isEqualTo(401);
    assertThat(a.error().getString("message")).isEqualTo("The admin token is not right.");
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    assertThat(admin.post("/admin/api-keys", "{not json").error().getString("message"))
        .isEqualTo("The request body is not a JSON object.");
    AdminCalls.Answer noName = admin.post("/admin/api-keys", "{\"project_id\":\"x\"}");
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.error().getString("param")).isEqualTo("name");
    AdminCalls.Answer typo = admin.post("/admin/api-keys", "{\"name\":\"k\",\"rpm_limt\":5}");
    assertThat(typo.error().getString("param")).isEqualTo("rpm_limt");
    assertThat(typo.error().getString("message")).contains("Did you mean 'rpm_limit'?");
    AdminCalls.Answer budget = admin.post("/admin/api-keys", "{\"name\":\"k\",\"daily_budget\":\"5usd\"}");
    assertThat(budget.error().getString("param")).isEqualTo("daily_budget");
    assertThat(budget.error().getString("message"))
        .isEqualTo("'daily_budget' must be a number of US dollars, e.g. 5 or 12.50; '5usd' is not.");
    assertThat(admin.post("/admin/api-keys", "{\"name\":\"k\",\"rpm_limit\":0}").error().getString("param"))
        .isEqualTo("rpm_limit");
    assertThat(admin.post("/admin/api-keys", "{\"name\":\"k\",\"status\":\"paused\"}").error().getString("param"))
        .isEqualTo("status");
    assertThat(admin.post("/admin/api-keys", "{\"name\":\"k\",\"user\":\"nobody@example.com\"}").error()
        .getString("param")).isEqualTo("user");
    assertThat(admin.get("/admin/api-keys?state=sleeping").error().getString("param")).isEqualTo("state");
    assertThat(admin.get("/admin/api-keys?limit=0").error().getString("param")).isEqualTo("limit");
    assertThat(admin.get("/admin/api-keys?projct_id=x").error().getString("message"))
        .contains("Did you mean 'project_id'?");
  }

  @Test
  void unknownOrMalformedIdsAreNamed() {
    AdminCalls.Answer notAnId = admin.get("/admin/api-keys/key-1");
    AdminCalls.Answer unknown = admin.patch("/admin/api-keys/00000000-0000-0000-0000-000000000000", "{\"burst\":2}");

    assertThat(notAnId.status()).isEqualTo(400);
    assertThat(notAnId.error().getString("param")).isEqualTo("id");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error().getString("code")).isEqualTo("not_found");
    assertThat(admin.delete("/admin/api-keys/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
  }

  @Test
  void refusedChangesWriteNoAuditRow() {
    JsonObject key = create("{\"name\":\"k\"}");

    admin.patch("/admin/api-keys/" + key.getString("id"), "{\"rpm_limit\":-1}");

    assertThat(admin.audit("api_key", key.getString("id"))).extracting(e -> e.getString("action"))
        .containsExactly("create");
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }
}
