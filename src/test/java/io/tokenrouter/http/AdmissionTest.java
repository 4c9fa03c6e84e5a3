package io.tokenrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the gateway refuses, with which status, and that every refusal has OpenAI's error shape. */
class AdmissionTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String HELLO = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
  private static TestGateway gateway;
  private static String key;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("""
        server: { max_body_bytes: 2048 }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
        models:
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
          - { name: other, targets: [ { provider: mock, model: mock-other } ] }
        """);
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static JsonObject error(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
    return error;
  }

  @Test
  void validKeyGetsTheMockReply() {
    HttpResponse<String> r = gateway.post(CHAT, key, HELLO);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content")).isEqualTo("Echo: hello there");
  }

  @Test
  void missingKeyIs401() {
    HttpResponse<String> r = gateway.post(CHAT, null, HELLO);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(error(r).getString("code")).isEqualTo("invalid_api_key");
  }

  @Test
  void unknownKeyIs401AndTheKeyIsNotEchoedWhole() {
    String bogus = "tr-" + UUID.randomUUID();
    HttpResponse<String> r = gateway.post(CHAT, bogus, HELLO);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(error(r).getString("message")).doesNotContain(bogus);
  }

  @Test
  void expiredKeyIs401() {
    String expired = gateway.createKey(Instant.now().minusSeconds(1));

    HttpResponse<String> r = gateway.post(CHAT, expired, HELLO);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(error(r).getString("message")).contains("expired");
  }

  @Test
  void revokedKeyIs401() throws Exception {
    String revoked = gateway.createKey();
    try (var c = gateway.gateway().database().dataSource().getConnection()) {
      c.createStatement().executeUpdate("UPDATE api_keys SET revoked = TRUE WHERE key_hash = '"
          + io.tokenrouter.auth.ApiKeys.hash(revoked) + "'");
    }

    HttpResponse<String> r = gateway.post(CHAT, revoked, HELLO);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(error(r).getString("message")).contains("revoked");
  }

  @Test
  void modelOutsideTheKeysAllowlistIs403() {
    String narrow = gateway.createKey("other");

    HttpResponse<String> r = gateway.post(CHAT, narrow, HELLO);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r).getString("code")).isEqualTo("model_not_allowed");
  }

  @Test
  void unknownModelIs404() {
    HttpResponse<String> r = gateway.post(CHAT, key, "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(error(r).getString("code")).isEqualTo("model_not_found");
  }

  @Test
  void malformedJsonIs400() {
    HttpResponse<String> r = gateway.post(CHAT, key, "{\"model\": ");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).getString("type")).isEqualTo("invalid_request_error");
  }

  @Test
  void missingModelIs400NamingTheParam() {
    HttpResponse<String> r = gateway.post(CHAT, key, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).getString("param")).isEqualTo("model");
  }

  @Test
  void missingMessagesIs400NamingTheParam() {
    HttpResponse<String> r = gateway.post(CHAT, key, "{\"model\":\"mock-chat\"}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).getString("param")).isEqualTo("messages");
  }

  @Test
  void wrongTypesAre400NamingTheField() {
    assertThat(error(gateway.post(CHAT, key, "{\"model\":\"mock-chat\",\"messages\":\"hi\"}")).getString("param"))
        .isEqualTo("messages");
    assertThat(error(gateway.post(CHAT, key, "{\"model\":\"mock-chat\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .getString("param")).isEqualTo("stream");
    assertThat(error(gateway.post(CHAT, key, "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":5}]}"))
        .getString("param")).isEqualTo("messages[0].content");
    assertThat(error(gateway.post(CHAT, key, "{\"model\":\"mock-chat\",\"max_tokens\":-1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .getString("param")).isEqualTo("max_tokens");
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(4096) + "\"}]}";

    HttpResponse<String> r = gateway.post(CHAT, key, big);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(error(r).getString("code")).isEqualTo("request_too_large");
  }

  @Test
  void unknownPathIs404InOpenAiShape() {
    HttpResponse<String> r = gateway.get("/v1/nothing-here", key);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(error(r).getString("code")).isEqualTo("unknown_url");
  }

  @Test
  void apiV1AliasServesTheSameRoute() {
    assertThat(gateway.post("/api/v1/chat/completions", key, HELLO).statusCode()).isEqualTo(200);
    assertThat(gateway.get("/api/v1/models", key).statusCode()).isEqualTo(200);
  }

  @Test
  void modelsListsTheConfiguredNamesTheKeyMayUse() {
    JsonObject all = new JsonObject(gateway.get("/v1/models", key).body());
    JsonObject narrow = new JsonObject(gateway.get("/v1/models", gateway.createKey("other")).body());

    assertThat(all.getString("object")).isEqualTo("list");
    assertThat(all.getJsonArray("data").stream().map(m -> ((JsonObject) m).getString("id")))
        .containsExactly("mock-chat", "other");
    assertThat(narrow.getJsonArray("data").stream().map(m -> ((JsonObject) m).getString("id")))
        .containsExactly("other");
  }

  @Test
  void requestIdIsEchoedWhenGivenAndGeneratedOtherwise() {
    HttpResponse<String> given = gateway.send(HttpRequest.newBuilder(gateway.uri(CHAT))
        .header("Authorization", "Bearer " + key).header("X-Request-Id", "client-id-42")
        .POST(HttpRequest.BodyPublishers.ofString(HELLO)).build());
    HttpResponse<String> generated = gateway.post(CHAT, key, HELLO);

    assertThat(given.headers().firstValue("x-request-id")).hasValue("client-id-42");
    assertThat(generated.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
  }

  @Test
  void generatedRequestIdsSortInTheOrderTheRequestsCame() throws InterruptedException {
    String first = gateway.post(CHAT, key, HELLO).headers().firstValue("x-request-id").orElseThrow();
    Thread.sleep(2);
    String second = gateway.post(CHAT, key, HELLO).headers().firstValue("x-request-id").orElseThrow();

    assertThat(first).matches("req_[0-9a-f]{32}");
    assertThat(second).matches("req_[0-9a-f]{32}").isGreaterThan(first);
  }

  @Test
  void healthAndReadinessAnswer() {
    assertThat(gateway.get("/health", null).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = gateway.get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getString("database")).isEqualTo("up");
  }

  @Test
  void metricsExposeTheGatewaysSeries() {
    gateway.post(CHAT, key, HELLO);
    gateway.post(CHAT, key, "{\"model\":\"mock-chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b\"}]}");

    String metrics = gateway.get("/metrics", null).body();

    assertThat(metrics).contains("tokenrouter_requests_total{model=\"mock-chat\",provider=\"mock\",status=\"200\"}",
        "tokenrouter_request_duration_seconds_bucket", "tokenrouter_tokens_total{model=\"mock-chat\",type=\"prompt\"}",
        "tokenrouter_active_streams{provider=\"mock\"}", "tokenrouter_time_to_first_token_seconds_bucket");
  }

  @Test
  void modelNamesClientsMakeUpNeverBecomeMetricLabels() {
    for (int i = 0; i < 5; i++) {
      gateway.post(CHAT, key, "{\"model\":\"made-up-" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    }

    String metrics = gateway.get("/metrics", null).body();

    assertThat(metrics).doesNotContain("made-up-")
        .contains("tokenrouter_requests_total{model=\"none\",provider=\"none\",status=\"404\"}");
  }

  @Test
  void refusedRequestsAreRecordedToo() {
    String narrow = gateway.createKey("other");

    gateway.post(CHAT, narrow, HELLO);

    assertThat(gateway.awaitRecordsOf(gateway.keyId(narrow), 1)).singleElement().satisfies(row ->
        assertThat(((Number) row.get("status")).intValue()).isEqualTo(403));
  }
}
