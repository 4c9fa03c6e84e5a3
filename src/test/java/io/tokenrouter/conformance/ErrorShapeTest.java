package io.tokenrouter.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.SseClient;
import io.tokenrouter.support.TestGateway;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every refusal of the gateway, on each client API, in that API's error shape and status:
 * OpenAI's {@code {"error":{"message","type","param","code"}}} on {@code /v1/chat/completions},
 * Anthropic's {@code {"type":"error","error":{"type","message"}}} on {@code /v1/messages} (and
 * its count_tokens), with {@code Retry-After} on every 429 and 503.
 */
@Timeout(60)
class ErrorShapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "chat";
  private static final String MESSAGES = "messages";
  private static TestGateway gateway;
  private static String key;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("""
        server: { max_body_bytes: 4096 }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
        models:
          - { name: mock-chat, targets: [ { provider: mock, model: gpt-4o-mini } ] }
          - { name: mock-other, targets: [ { provider: mock, model: mock-other } ] }
        namespaces:
          - { name: narrow, match: { header: { X-Team: narrow } }, policy: { models: [ "mock-chat" ] } }
        """);
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static String path(String api) {
    return api.equals(CHAT) ? "/v1/chat/completions" : "/v1/messages";
  }

  private static String body(String api, String model) {
    return api.equals(CHAT)
        ? "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
        : "{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static HttpRequest.Builder request(String path, String body) {
    return HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** The request with the key where the API's own SDK puts it. */
  private static HttpResponse<String> post(String api, String withKey, String body) {
    return post(api, withKey, body, path(api));
  }

  private static HttpResponse<String> post(String api, String withKey, String body, String path) {
    HttpRequest.Builder b = request(path, body);
    if (withKey != null) {
      if (api.equals(CHAT)) {
        b.header("Authorization", "Bearer " + withKey);
      } else {
        b.header("x-api-key", withKey).header("anthropic-version", "2023-06-01");
      }
    }
    return gateway.send(b.build());
  }

  /** Checks the shape and status; returns the error object. */
  static JsonNode assertError(String api, HttpResponse<String> r, int status, String openAiType,
      String anthropicType) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = JSON.readTree(r.body());
    JsonNode error = body.path("error");
    List<String> fields = new ArrayList<>();
    error.fieldNames().forEachRemaining(fields::add);
    if (api.equals(CHAT)) {
      assertThat(body.size()).as(r.body()).isEqualTo(1);
      assertThat(fields).containsExactly("message", "type", "param", "code");
      assertThat(error.path("type").asText()).isEqualTo(openAiType);
      assertThat(error.path("code").isTextual()).isTrue();
    } else {
      assertThat(body.path("type").asText()).as(r.body()).isEqualTo("error");
      assertThat(fields).containsExactly("type", "message");
      assertThat(error.path("type").asText()).isEqualTo(anthropicType);
    }
    assertThat(error.path("message").asText()).isNotBlank();
    if (status == 429 || status == 503) {
      assertThat(r.headers().firstValue("retry-after")).as("Retry-After on " + status).isPresent();
      assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isPositive();
    }
    return error;
  }

  @ParameterizedTest
  @ValueSource(strings = {CHAT, MESSAGES})
  void aValidRequestIsServed(String api) {
    assertThat(post(api, key, body(api, "mock-chat")).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {CHAT, MESSAGES})
  void badBodyIs400(String api) throws Exception {
    assertError(api, post(api, key, "{\"model\": "), 400, "invalid_request_error", "invalid_request_error");
    assertError(api, post(api, key, "[1,2]"), 400, "invalid_request_error", "invalid_request_error");
    JsonNode missing = assertError(api, post(api, key, "{\"model\":\"mock-chat\",\"max_tokens\":5}"), 400,
        "invalid_request_error",
        "invalid_request_error");
    assertThat(missing.path("message").asText()).contains("messages");
    assertError(api, post(api, key, body(api, "mock-chat").replace("\"hi\"", "42")), 400, "invalid_request_error",
        "invalid_request_error");
  }

  @Test
  void messagesWithoutMaxTokensIs400() throws Exception {
    JsonNode error = assertError(MESSAGES, post(MESSAGES, key,
        "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, null,
        "invalid_request_error");
    assertThat(error.path("message").asText()).contains("max_tokens");
  }

  @ParameterizedTest
  @ValueSource(strings = {CHAT, MESSAGES})
  void missingOrBadKeyIs401(String api) throws Exception {
    assertError(api, post(api, null, body(api, "mock-chat")), 401, "invalid_request_error", "authentication_error");
    JsonNode bad = assertError(api, post(api, "sk-not-a-real-key-0123456789", body(api, "mock-chat")), 401,
        "invalid_request_error", "authentication_error");
    assertThat(bad.path("message").asText()).doesNotContain("sk-not-a-real-key-0123456789");
  }

  @Test
  void messagesTakeTheKeyAsXApiKeyOrBearer() throws Exception {
    String body = body(MESSAGES, "mock-chat");
    assertThat(gateway.send(request("/v1/messages", body).header("x-api-key", key).build()).statusCode())
        .isEqualTo(200);
    assertThat(gateway.send(request("/v1/messages", body).header("Authorization", "Bearer " + key).build())
        .statusCode()).isEqualTo(200);
    assertError(MESSAGES, gateway.send(request("/v1/messages", body).header("Authorization", "Bearer nope").build()),
        401, null, "authentication_error");
    assertError(MESSAGES, gateway.send(request("/v1/messages/count_tokens", body).build()), 401, null,
        "authentication_error");
  }

  @ParameterizedTest
  @ValueSource(strings = {CHAT, MESSAGES})
  void modelNotAllowedIs403(String api) throws Exception {
    String narrowKey = gateway.createKey("mock-chat");
    assertError(api, post(api, narrowKey, body(api, "mock-other")), 403, "invalid_request_error", "permission_error");

    HttpRequest.Builder b = request(path(api), body(api, "mock-other")).header("X-Team", "narrow");
    b.header(api.equals(CHAT) ? "Authorization" : "x-api-key", api.equals(CHAT) ? "Bearer " + key : key);
    JsonNode error = assertError(api, gateway.send(b.build()), 403, "invalid_request_error", "permission_error");
    assertThat(error.path("message").asText()).contains("narrow");
  }

  @ParameterizedTest
  @ValueSource(strings = {CHAT, MESSAGES})
  void unknownModelIs404(String api) throws Exception {
    JsonNode error = assertError(api, post(api, key, body(api, "no-such-model")), 404, "invalid_request_error",
        "not_found_error");
    assertThat(error.path("message").asText()).contains("no-such-model");
  }

  @ParameterizedTest
  @ValueSource(strings = {CHAT, MESSAGES})
  void tooLargeIs413(String api) throws Exception {
    String big = body(api, "mock-chat").replace("\"hi\"", "\"" + "x".repeat(5000) + "\"");
    assertError(api, post(api, key, big), 413, "invalid_request_error", "request_too_large");
    assertError(api, post(api, key, big, "/api" + path(api)), 413, "invalid_request_error", "request_too_large");
  }

  @ParameterizedTest
  @ValueSource(strings = {CHAT, MESSAGES})
  void rateLimitIs429WithRetryAfter(String api) throws Exception {
    String limited = gateway.createKeyWithLimits(1, null);
    assertThat(post(api, limited, body(api, "mock-chat")).statusCode()).isEqualTo(200);
    assertError(api, post(api, limited, body(api, "mock-chat")), 429, "rate_limit_error", "rate_limit_error");
  }

  @ParameterizedTest
  @ValueSource(strings = {CHAT, MESSAGES})
  void quotaIs429WithRetryAfter(String api) throws Exception {
    String poor = gateway.createKey(gateway.createUser("enterprise", 1L, Limits.NONE), Limits.NONE);
    assertError(api, post(api, poor, body(api, "mock-chat")), 429, "insufficient_quota", "rate_limit_error");
  }

  @ParameterizedTest
  @ValueSource(strings = {CHAT, MESSAGES})
  void budgetIs429WithRetryAfter(String api) throws Exception {
    String broke = gateway.createKey(null, new Limits(null, null, null, null, null, null,
        new BigDecimal("0.0000001"), null));
    JsonNode error = assertError(api, post(api, broke, body(api, "mock-chat")), 429, "insufficient_quota",
        "rate_limit_error");
    assertThat(error.path("message").asText()).contains("budget");
  }

  @ParameterizedTest
  @ValueSource(strings = {CHAT, MESSAGES})
  void inputCapIs400(String api) throws Exception {
    String capped = gateway.createKey(null, new Limits(null, null, null, null, 5, null, null, null));
    String body = body(api, "mock-chat").replace("\"hi\"", "\"" + "many words here ".repeat(20) + "\"");
    assertError(api, post(api, capped, body), 400, "invalid_request_error", "invalid_request_error");
  }

  @Test
  void saturatedGatewayIs503OnEveryApi() throws Exception {
    try (TestGateway small = TestGateway.start("""
        usage: { queue_capacity: 1 }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 300ms } } ]
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """)) {
      String k = small.createKey();
      HttpRequest slow = HttpRequest.newBuilder(small.uri("/v1/chat/completions"))
          .header("Authorization", "Bearer " + k)
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"mock-chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}"))
          .build();
      try (SseClient inFlight = new SseClient(small.http(), slow)) {
        assertThat(inFlight.next()).isNotNull();
        for (String api : List.of(CHAT, MESSAGES)) {
          HttpRequest.Builder b = HttpRequest.newBuilder(small.uri(path(api)))
              .POST(HttpRequest.BodyPublishers.ofString(body(api, "mock-chat")));
          b.header(api.equals(CHAT) ? "Authorization" : "x-api-key", api.equals(CHAT) ? "Bearer " + k : k);
          assertError(api, small.send(b.build()), 503, "server_error", "api_error");
        }
        inFlight.rest();
      }
    }
  }
}
