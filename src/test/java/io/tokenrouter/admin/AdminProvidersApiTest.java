package io.tokenrouter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.AdminCalls;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /admin/providers} on PostgreSQL: seed 004's {@code PATCH}, reading, adding and removing
 * providers; each change audited, checked by the configuration's own validation and obeyed by the
 * running gateway's next request without a restart (file watching is off, so only the admin
 * API's reload path can have put it into force); keys sealed at rest and never answered. Every
 * provider points at one fake upstream, and each target asks for its own model name, so the
 * model an upstream request names says which target served it. Session affinity is off: the
 * identical test requests would otherwise stick to the target that served the first.
 */
@Timeout(60)
class AdminProvidersApiTest {
  private static final String TOKEN = "admin-token-for-tests-0123456789";
  private static final String ADMIN_SET_KEY = "sk-admin-set-key-0000000000abcd";
  private static final TestDatabase postgres = TestDatabases.postgres();
  private static FakeOpenAiServer upstream;
  private static TestGateway gateway;
  private static AdminCalls admin;
  private static String key;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAiServer();
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    gateway = TestGateway.start("""
        database: { url: "%s" }
        admin: { token: %s }
        routing: { reload: { watch: false }, affinity: { enabled: false } }
        providers:
          - { name: a, type: openai, base_url: "%s", api_key: sk-file-key-a }
          - { name: b, type: openai, base_url: "%3$s", api_key: sk-file-key-b }
          - { name: c, type: openai, base_url: "%3$s", api_key: sk-file-key-c }
          - { name: w1, type: openai, base_url: "%3$s", api_key: sk-file-key-w }
          - { name: w2, type: openai, base_url: "%3$s", api_key: sk-file-key-w }
        models:
          - { name: order, targets: [ { provider: a, model: order-a, priority: 0 }, { provider: b, model: order-b, priority: 1 } ] }
          - name: spread
            strategy: weighted
            targets: [ { provider: w1, model: spread-1, weight: 1 }, { provider: w2, model: spread-2, weight: 0 } ]
          - { name: secret, targets: [ { provider: c, model: secret-c } ] }
        """.formatted(postgres.postgresUrlThrough(TestDatabases.POSTGRES_PORT), TOKEN, upstream.baseUrl()),
        Map.of("TOKENROUTER_MASTER_KEY", Base64.getEncoder().encodeToString(masterKey)));
    admin = new AdminCalls(gateway, TOKEN);
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    postgres.drop();
  }

  /** Sends a chat request for {@code model}; the model name the upstream was asked for, or the status. */
  private static String served(String model) {
    int before = upstream.received().size();
    int status = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode();
    if (status != 200 || upstream.received().size() == before) {
      return String.valueOf(status);
    }
    return upstream.received().getLast().body().getString("model");
  }

  private static JsonObject ok(AdminCalls.Answer a) {
    assertThat(a.status()).as(a.body()).isBetween(200, 201);
    return a.json();
  }

  @Test
  void seed004PatchSetsEnabledTimeoutAndRetries() {
    JsonObject changed = ok(admin.patch("/admin/providers/c", "{\"enabled\":true,\"timeout_ms\":45000,\"max_retries\":2}"));

    assertThat(changed.getBoolean("enabled")).isTrue();
    assertThat(changed.getLong("timeout_ms")).isEqualTo(45000);
    assertThat(changed.getInteger("max_retries")).isEqualTo(2);
    assertThat(changed.getBoolean("in_force")).isTrue();
    JsonObject read = ok(admin.get("/admin/providers/c"));
    assertThat(read.getLong("timeout_ms")).isEqualTo(45000);
    assertThat(read.getJsonObject("timeouts").getString("total")).isEqualTo("PT45S");
    assertThat(read.getString("source")).isEqualTo("configuration+admin");
    assertThat(read.getJsonArray("models")).containsExactly("secret");
  }

  @Test
  void disablingAProviderSendsTheNextRequestToTheNextTarget() {
    assertThat(served("order")).isEqualTo("order-a");

    ok(admin.patch("/admin/providers/a", "{\"enabled\":false}"));
    assertThat(served("order")).isEqualTo("order-b");

    ok(admin.patch("/admin/providers/a", "{\"enabled\":true}"));
    assertThat(served("order")).isEqualTo("order-a");
  }

  @Test
  void aModelWhoseOnlyProviderIsDisabledIsNotOffered() {
    ok(admin.patch("/admin/providers/c", "{\"enabled\":false}"));
    try {
      assertThat(gateway.get("/v1/models", key).body()).contains("\"order\"").doesNotContain("\"secret\"");
    } finally {
      ok(admin.patch("/admin/providers/c", "{\"enabled\":true}"));
    }
    assertThat(gateway.get("/v1/models", key).body()).contains("\"secret\"");
  }

  @Test
  void aWeightChangeIsObeyedByTheNextRequests() {
    assertThat(List.of(served("spread"), served("spread"), served("spread"))).containsOnly("spread-1");

    ok(admin.patch("/admin/providers/w1", "{\"weights\":{\"spread\":0}}"));
    JsonObject w2 = ok(admin.patch("/admin/providers/w2", "{\"weights\":{\"spread\":5}}"));

    assertThat(w2.getJsonObject("weights").getInteger("spread")).isEqualTo(5);
    assertThat(List.of(served("spread"), served("spread"), served("spread"))).containsOnly("spread-2");

    ok(admin.patch("/admin/providers/w1", "{\"weights\":{\"spread\":null}}"));
    ok(admin.patch("/admin/providers/w2", "{\"weights\":{\"spread\":null}}"));
    assertThat(List.of(served("spread"), served("spread"))).as("the file's weights again").containsOnly("spread-1");
  }

  @Test
  void aKeySetHereIsSealedAtRestNeverAnsweredAndSentToTheProvider() throws Exception {
    AdminCalls.Answer a = admin.patch("/admin/providers/c", "{\"api_key\":\"" + ADMIN_SET_KEY + "\"}");

    JsonObject changed = ok(a);
    assertThat(a.body()).doesNotContain(ADMIN_SET_KEY).doesNotContain("sk-file-key");
    assertThat(changed.getJsonObject("api_key").getJsonArray("ends_with")).containsExactly("…abcd");
    assertThat(changed.getJsonObject("api_key").getBoolean("stored_encrypted")).isTrue();
    assertThat(admin.get("/admin/providers").body()).doesNotContain(ADMIN_SET_KEY);
    assertThat(admin.get("/admin/audit?resource=provider").body()).doesNotContain(ADMIN_SET_KEY);
    String stored = storedKeyOf("c");
    assertThat(stored).startsWith("v1:").doesNotContain(ADMIN_SET_KEY).doesNotContain("abcd");
    assertThat(served("secret")).isEqualTo("secret-c");
    assertThat(upstream.received().getLast().headers().get("Authorization")).isEqualTo("Bearer " + ADMIN_SET_KEY);
  }

  private static String storedKeyOf(String provider) throws Exception {
    try (Connection c = gateway.gateway().database().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT api_key_encrypted FROM providers WHERE name = ?")) {
      ps.setString(1, provider);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  @Test
  void aProviderAddedHereServesAMappingAddedHereAndIsRemovedAgain() {
    JsonObject added = ok(admin.post("/admin/providers", """
        {"name":"added","type":"openai","base_url":"%s","api_key":"sk-added-0000000000000000"}"""
        .formatted(upstream.baseUrl())));
    assertThat(added.getString("source")).isEqualTo("admin");
    ok(admin.post("/admin/models", "{\"name\":\"fresh\",\"targets\":[{\"provider\":\"added\",\"model\":\"fresh-up\"}]}"));

    assertThat(served("fresh")).isEqualTo("fresh-up");

    AdminCalls.Answer stillMapped = admin.delete("/admin/providers/added");
    assertThat(stillMapped.status()).as(stillMapped.body()).isEqualTo(400);
    assertThat(stillMapped.error().getString("message")).contains("'added' is not a configured provider");
    ok(admin.delete("/admin/models/fresh"));
    ok(admin.delete("/admin/providers/added"));
    assertThat(admin.get("/admin/providers/added").status()).isEqualTo(404);
    assertThat(served("fresh")).isEqualTo("404");
    assertThat(admin.audit("provider", "added")).extracting(e -> e.getString("action"))
        .containsExactly("delete", "create");
  }

  @Test
  void aProviderFromTheFileIsNotDeletedHere() {
    AdminCalls.Answer a = admin.delete("/admin/providers/b");

    assertThat(a.status()).isEqualTo(409);
    assertThat(a.error().getString("message")).contains("configuration file").contains("\"enabled\": false");
  }

  @Test
  void aChangeTheValidationRefusesChangesNothing() {
    AdminCalls.Answer a = admin.patch("/admin/providers/b", "{\"base_url\":\"ftp://files.example.com\"}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().getString("code")).isEqualTo("invalid_configuration");
    assertThat(a.error().getString("message")).contains("base_url: must be an http:// or https:// URL");
    assertThat(ok(admin.get("/admin/providers/b")).getString("base_url")).isEqualTo(upstream.baseUrl());
    assertThat(admin.audit("provider", "b")).isEmpty();
  }

  @Test
  void anUnknownTypeIsRefusedWithTheKnownOnes() {
    AdminCalls.Answer a = admin.post("/admin/providers", "{\"name\":\"typo\",\"type\":\"open-ai\",\"base_url\":\"https://x.example.com\"}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.error().getString("message")).contains("'open-ai' is not one of").contains("openai");
  }

  @Test
  void everyChangeWritesAnAuditRowWithWhatWasSetAndWhatItWas() {
    ok(admin.patch("/admin/providers/c", "{\"max_connections\":8}"));

    JsonObject entry = admin.audit("provider", "c").getFirst();
    assertThat(entry.getString("action")).isEqualTo("update");
    assertThat(entry.getString("actor")).isEqualTo("admin");
    JsonObject details = entry.getJsonObject("details");
    assertThat(details.getJsonObject("set").getInteger("max_connections")).isEqualTo(8);
    assertThat(details.getJsonObject("was").getInteger("max_connections")).isEqualTo(10_000);
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    assertThat(admin.patch("/admin/providers/c", "{\"timeout_ms\":\"soon\"}").error().getString("param"))
        .isEqualTo("timeout_ms");
    assertThat(admin.patch("/admin/providers/c", "{\"enabled\":\"yes\"}").error().getString("param"))
        .isEqualTo("enabled");
    assertThat(admin.patch("/admin/providers/c", "{\"max_retries\":-1}").error().getString("message"))
        .contains("max_retries");
    assertThat(admin.patch("/admin/providers/c", "{\"weights\":{\"order\":1}}").error().getString("message"))
        .contains("serves no model mapping named 'order'");
    AdminCalls.Answer unknownField = admin.patch("/admin/providers/c", "{\"timeout\":5}");
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.error().getString("message")).contains("Unknown field 'timeout'").contains("timeout_ms");
  }

  @Test
  void anUnknownProviderIsNotFound() {
    AdminCalls.Answer a = admin.patch("/admin/providers/nope", "{\"enabled\":false}");

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.error().getString("code")).isEqualTo("not_found");
    assertThat(admin.get("/admin/providers/nope").status()).isEqualTo(404);
    assertThat(admin.delete("/admin/providers/nope").status()).isEqualTo(404);
  }

  @Test
  void everyProviderRouteNeedsTheToken() {
    for (AdminCalls calls : List.of(new AdminCalls(gateway, null), new AdminCalls(gateway, "wrong-token"))) {
      assertThat(calls.get("/admin/providers/c").status()).isEqualTo(401);
      assertThat(calls.patch("/admin/providers/c", "{\"enabled\":false}").status()).isEqualTo(401);
      assertThat(calls.post("/admin/providers", "{\"name\":\"x\",\"type\":\"mock\"}").status()).isEqualTo(401);
      assertThat(calls.delete("/admin/providers/c").error().getString("code")).isEqualTo("invalid_admin_token");
    }
    assertThat(ok(admin.get("/admin/providers/c")).getBoolean("enabled")).isTrue();
  }
}
