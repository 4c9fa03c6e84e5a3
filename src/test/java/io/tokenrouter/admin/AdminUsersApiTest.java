package io.tokenrouter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.AdminCalls;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /admin/users} and {@code /admin/plans}: every change audited, a user's change felt at once. */
class AdminUsersApiTest {
  private static final String TOKEN = "admin-token-for-tests-0123456789";
  private static final String HELLO = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static TestGateway gateway;
  private static AdminCalls admin;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("""
        admin: { token: %s }
        auth: { cache_ttl: 60s }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """.formatted(TOKEN));
    admin = new AdminCalls(gateway, TOKEN);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static String email() {
    return "u-" + UUID.randomUUID() + "@example.com";
  }

  private static JsonObject createUser(String body) {
    AdminCalls.Answer a = admin.post("/admin/users", body);
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json();
  }

  @Test
  void createdUserIsReadByIdAndByEmailAndListed() {
    String email = email();
    JsonObject user = createUser("{\"email\":\"" + email + "\",\"plan\":\"pro\",\"rpm_limit\":30,"
        + "\"monthly_token_quota\":5000,\"price_multiplier\":0.5}");

    assertThat(user.getString("plan")).isEqualTo("pro");
    assertThat(user.getInteger("rpm_limit")).isEqualTo(30);
    assertThat(user.getLong("monthly_token_quota")).isEqualTo(5000L);
    assertThat(user.getValue("price_multiplier")).hasToString("0.5");
    assertThat(admin.get("/admin/users/" + user.getString("id")).json().getString("email")).isEqualTo(email);
    assertThat(admin.get("/admin/users/" + email).json().getString("id")).isEqualTo(user.getString("id"));
    assertThat(admin.get("/admin/users?email=" + email).json().getJsonArray("data")).hasSize(1);
    assertThat(admin.audit("user", user.getString("id"))).extracting(e -> e.getString("action"))
        .containsExactly("create");
  }

  @Test
  void listFiltersByPlanAndPages() {
    String plan = "team-" + UUID.randomUUID().toString().substring(0, 8);
    admin.post("/admin/plans", "{\"name\":\"" + plan + "\",\"price_multiplier\":1}");
    for (int i = 0; i < 3; i++) {
      createUser("{\"email\":\"" + email() + "\",\"plan\":\"" + plan + "\"}");
    }

    JsonObject page = admin.get("/admin/users?plan=" + plan + "&limit=2").json();

    assertThat(page.getLong("total")).isEqualTo(3);
    assertThat(page.getJsonArray("data")).hasSize(2);
    assertThat(page.getBoolean("has_more")).isTrue();
  }

  @Test
  void aDuplicateEmailIsExplained() {
    String email = email();
    JsonObject first = createUser("{\"email\":\"" + email + "\"}");

    AdminCalls.Answer again = admin.post("/admin/users", "{\"email\":\"" + email + "\"}");

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error().getString("message")).isEqualTo("A user with the email " + email
        + " already exists (id " + first.getString("id") + "); change that user with PATCH /admin/users/"
        + first.getString("id") + ".");
  }

  @Test
  void anUnknownPlanIsRefusedListingThePlans() {
    AdminCalls.Answer a = admin.post("/admin/users", "{\"email\":\"" + email() + "\",\"plan\":\"prro\"}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().getString("param")).isEqualTo("plan");
    assertThat(a.error().getString("message")).startsWith("There is no plan named 'prro'. Plans: ")
        .endsWith("Did you mean 'pro'?");
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    assertThat(admin.post("/admin/users", "{\"email\":\"not-an-email\"}").error().getString("param"))
        .isEqualTo("email");
    assertThat(admin.post("/admin/users", "{\"email\":\"" + email() + "\",\"price_multiplier\":\"cheap\"}").error()
        .getString("param")).isEqualTo("price_multiplier");
    assertThat(admin.post("/admin/users", "{}").error().getString("param")).isEqualTo("email");
    assertThat(new AdminCalls(gateway, null).get("/admin/users").status()).isEqualTo(401);
    assertThat(new AdminCalls(gateway, "wrong").post("/admin/users", "{\"email\":\"a@b.c\"}").status())
        .isEqualTo(401);
    assertThat(admin.patch("/admin/users/" + UUID.randomUUID(), "{\"plan\":\"pro\"}").status()).isEqualTo(404);
  }

  @Test
  void aUserChangeAppliesToTheUsersKeysAtOnce() {
    JsonObject user = createUser("{\"email\":\"" + email() + "\",\"plan\":\"enterprise\"}");
    String raw = admin.post("/admin/api-keys", "{\"name\":\"k\",\"user_id\":\"" + user.getString("id") + "\"}").json()
        .getString("raw_key");
    assertThat(gateway.post("/v1/chat/completions", raw, HELLO).statusCode()).isEqualTo(200);

    AdminCalls.Answer a = admin.patch("/admin/users/" + user.getString("id"), "{\"rpm_limit\":1}");
    List<Integer> statuses = List.of(gateway.post("/v1/chat/completions", raw, HELLO).statusCode(),
        gateway.post("/v1/chat/completions", raw, HELLO).statusCode());

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().getBoolean("propagated")).isTrue();
    assertThat(statuses).containsExactly(200, 429);
    JsonObject update = admin.audit("user", user.getString("id")).getFirst();
    assertThat(update.getString("action")).isEqualTo("update");
    assertThat(update.getJsonObject("details").getJsonObject("was").getValue("rpm_limit")).isNull();
  }

  @Test
  void planChangeIsAudited() {
    JsonObject user = createUser("{\"email\":\"" + email() + "\"}");

    JsonObject moved = admin.patch("/admin/users/" + user.getString("id"), "{\"plan\":\"pro\"}").json();

    assertThat(moved.getString("plan")).isEqualTo("pro");
    assertThat(admin.audit("user", user.getString("id")).getFirst().getJsonObject("details").getJsonObject("was")
        .getString("plan")).isEqualTo("free");
  }

  @Test
  void plansAreListedCreatedAndChangedWithAudit() {
    String name = "team-" + UUID.randomUUID().toString().substring(0, 8);

    AdminCalls.Answer created = admin.post("/admin/plans", "{\"name\":\"" + name
        + "\",\"monthly_token_quota\":1000,\"rpm_limit\":10,\"price_multiplier\":0.9}");
    AdminCalls.Answer changed = admin.patch("/admin/plans/" + name, "{\"rpm_limit\":20,\"monthly_token_quota\":null}");

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(changed.json().getInteger("rpm_limit")).isEqualTo(20);
    assertThat(changed.json().getValue("monthly_token_quota")).isNull();
    assertThat(admin.get("/admin/plans").json().getJsonArray("data").stream()
        .map(p -> ((JsonObject) p).getString("name"))).contains("free", "pro", "enterprise", name);
    assertThat(admin.get("/admin/plans/pro").json().getValue("price_multiplier")).hasToString("0.8");
    assertThat(admin.audit("plan", name)).extracting(e -> e.getString("action")).containsExactly("update", "create");
  }

  @Test
  void planRefusals() {
    assertThat(admin.post("/admin/plans", "{\"name\":\"pro\",\"price_multiplier\":1}").status()).isEqualTo(409);
    assertThat(admin.post("/admin/plans", "{\"name\":\"Bad Name\",\"price_multiplier\":1}").error()
        .getString("param")).isEqualTo("name");
    assertThat(admin.post("/admin/plans", "{\"name\":\"nomultiplier\"}").error().getString("param"))
        .isEqualTo("price_multiplier");
    assertThat(admin.patch("/admin/plans/pro", "{\"price_multiplier\":null}").status()).isEqualTo(400);
    assertThat(admin.get("/admin/plans/platinum").status()).isEqualTo(404);
  }
}
