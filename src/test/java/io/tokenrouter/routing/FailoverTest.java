package io.tokenrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.ScriptedUpstream;
import io.tokenrouter.support.ScriptedUpstream.Act;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A primary upstream that fails in each way, in front of a fallback that answers, on the chat
 * completions, Messages and Responses APIs, streamed and not: the client gets the fallback's answer (or, when the failure
 * came after a stream had started, an error at the end of that stream), and the request's
 * record shows every attempt. With no fallback, the client gets the failure in its API's shape.
 */
@Timeout(60)
class FailoverTest {
  private static final ScriptedUpstream primary = new ScriptedUpstream("primary");
  private static final ScriptedUpstream fallback = new ScriptedUpstream("fallback");
  private static TestGateway gateway;
  private static String key;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("""
        usage: { flush_interval: 20ms }
        providers:
          - { name: p-openai, type: openai, base_url: "%s", timeouts: { first_byte: 300ms, idle: 300ms } }
          - { name: f-openai, type: openai, base_url: "%s" }
          - { name: p-anthropic, type: anthropic, base_url: "%s", timeouts: { first_byte: 300ms, idle: 300ms } }
          - { name: f-anthropic, type: anthropic, base_url: "%s" }
        models:
          - name: chat-model
            targets: [ { provider: p-openai, model: m-primary }, { provider: f-openai, model: m-fallback, priority: 1 } ]
          - name: claude-model
            targets: [ { provider: p-anthropic, model: m-primary }, { provider: f-anthropic, model: m-fallback, priority: 1 } ]
          - name: chat-solo
            targets: [ { provider: p-openai, model: m-primary } ]
          - name: claude-solo
            targets: [ { provider: p-anthropic, model: m-primary } ]
        routing:
          retry: { per_target: 2, backoff: 10ms, max_backoff: 20ms }
          # every case fails the primary on purpose: its breaker must not open in between
          breaker: { failures: 1000, min_calls: 1000 }
          affinity: { enabled: false }
        """.formatted(primary.openAiUrl(), fallback.openAiUrl(), primary.anthropicUrl(), fallback.anthropicUrl()));
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    primary.close();
    fallback.close();
  }

  @BeforeEach
  void freshUpstreams() {
    primary.reset();
    fallback.reset();
  }

  enum Api { CHAT, MESSAGES, RESPONSES }

  enum Failure {
    STATUS_500(() -> ScriptedUpstream.status(500)),
    RATE_LIMIT_429(() -> ScriptedUpstream.status(429, "Retry-After", "1")),
    OVERLOADED_529(() -> ScriptedUpstream.status(529)),
    RESET_BEFORE_FIRST_BYTE(ScriptedUpstream::resetBeforeHead),
    RESET_AFTER_FIRST_BYTE(ScriptedUpstream::resetAfterFirstByte),
    SLOW_FIRST_BYTE(() -> ScriptedUpstream.slow(1_000)),
    INVALID_JSON(ScriptedUpstream::invalidJson),
    HANG(ScriptedUpstream::hang);

    final Supplier<Act> act;

    Failure(Supplier<Act> act) {
      this.act = act;
    }

    /** Whether the failure comes after a streamed answer's head was accepted, when it is the client's. */
    boolean afterHead(boolean stream) {
      return stream && (this == RESET_AFTER_FIRST_BYTE || this == INVALID_JSON);
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Api api : Api.values()) {
      for (boolean stream : new boolean[] {false, true}) {
        for (Failure failure : Failure.values()) {
          cases.add(Arguments.of(api, stream, failure));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} stream={1} {2}")
  @MethodSource("cases")
  void theFallbackAnswersAndTheRecordShowsEveryAttempt(Api api, boolean stream, Failure failure) {
    primary.always(failure.act.get());

    HttpResponse<String> response = call(api, api == Api.MESSAGES ? "claude-model" : "chat-model", stream);

    Map<String, Object> record = gateway.awaitRecords(1).getLast();
    if (failure.afterHead(stream)) {
      // the stream was the client's from its first byte: it ends with an error, nothing is retried
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("error");
      assertThat(primary.received()).hasSize(1);
      assertThat(fallback.received()).isEmpty();
      assertThat(record.get("provider")).isEqualTo(api == Api.MESSAGES ? "p-anthropic" : "p-openai");
      assertThat(((Number) record.get("status")).intValue()).isNotEqualTo(200);
      assertThat(record.get("attempts")).isNull();
      return;
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(text(response, api, stream)).isEqualTo(fallback.text());
    assertThat(primary.received()).hasSize(2);
    assertThat(fallback.received()).hasSize(1);
    assertThat(((Number) record.get("status")).intValue()).isEqualTo(200);
    assertThat(record.get("provider")).isEqualTo(api == Api.MESSAGES ? "f-anthropic" : "f-openai");
    JsonArray attempts = new JsonArray((String) record.get("attempts"));
    assertThat(attempts).hasSize(3);
    String primaryTarget = (api == Api.MESSAGES ? "p-anthropic" : "p-openai") + "/m-primary";
    assertThat(attempts.getJsonObject(0).getString("target")).isEqualTo(primaryTarget);
    assertThat(attempts.getJsonObject(0).getString("error")).isNotBlank();
    assertThat(attempts.getJsonObject(1).getString("target")).isEqualTo(primaryTarget);
    assertThat(attempts.getJsonObject(2).getString("target"))
        .isEqualTo((api == Api.MESSAGES ? "f-anthropic" : "f-openai") + "/m-fallback");
    assertThat(attempts.getJsonObject(2).getInteger("status")).isEqualTo(200);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(Api.CHAT, Failure.STATUS_500, 502, "upstream_error"),
        Arguments.of(Api.CHAT, Failure.RATE_LIMIT_429, 429, "rate_limit_error"),
        Arguments.of(Api.CHAT, Failure.OVERLOADED_529, 503, "upstream_error"),
        Arguments.of(Api.CHAT, Failure.RESET_BEFORE_FIRST_BYTE, 502, "upstream_error"),
        Arguments.of(Api.CHAT, Failure.INVALID_JSON, 502, "upstream_error"),
        Arguments.of(Api.CHAT, Failure.HANG, 504, "upstream_error"),
        Arguments.of(Api.MESSAGES, Failure.STATUS_500, 502, "api_error"),
        Arguments.of(Api.MESSAGES, Failure.RATE_LIMIT_429, 429, "rate_limit_error"),
        Arguments.of(Api.MESSAGES, Failure.OVERLOADED_529, 529, "overloaded_error"),
        Arguments.of(Api.MESSAGES, Failure.RESET_BEFORE_FIRST_BYTE, 502, "api_error"),
        Arguments.of(Api.MESSAGES, Failure.INVALID_JSON, 502, "api_error"),
        Arguments.of(Api.MESSAGES, Failure.HANG, 504, "timeout_error"),
        Arguments.of(Api.RESPONSES, Failure.STATUS_500, 502, "upstream_error"),
        Arguments.of(Api.RESPONSES, Failure.RATE_LIMIT_429, 429, "rate_limit_error"),
        Arguments.of(Api.RESPONSES, Failure.OVERLOADED_529, 503, "upstream_error"),
        Arguments.of(Api.RESPONSES, Failure.RESET_BEFORE_FIRST_BYTE, 502, "upstream_error"),
        Arguments.of(Api.RESPONSES, Failure.INVALID_JSON, 502, "upstream_error"),
        Arguments.of(Api.RESPONSES, Failure.HANG, 504, "upstream_error"));
  }

  @ParameterizedTest(name = "{0} {1} -> {2} {3}")
  @MethodSource("errors")
  void withoutAFallbackTheClientGetsTheFailureInItsApisShape(Api api, Failure failure, int status, String type) {
    primary.always(failure.act.get());

    HttpResponse<String> response = call(api, api == Api.MESSAGES ? "claude-solo" : "chat-solo", false);

    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject body = new JsonObject(response.body());
    if (api == Api.MESSAGES) {
      assertThat(body.getString("type")).isEqualTo("error");
    }
    assertThat(body.getJsonObject("error").getString("type")).isEqualTo(type);
    if (status == 429) {
      assertThat(response.headers().firstValue("retry-after")).hasValue("1");
    }
    assertThat(primary.received()).hasSize(2);
    assertThat(new JsonArray((String) gateway.awaitRecords(1).getLast().get("attempts"))).hasSize(2);
  }

  private static HttpResponse<String> call(Api api, String model, boolean stream) {
    int before = gateway.records().size();
    HttpResponse<String> response = switch (api) {
      case CHAT -> gateway.post("/v1/chat/completions", key, """
          {"model":"%s","stream":%s,"messages":[{"role":"user","content":"hi"}]}""".formatted(model, stream));
      case MESSAGES -> gateway.post("/v1/messages", key, """
          {"model":"%s","stream":%s,"max_tokens":64,"messages":[{"role":"user","content":"hi"}]}"""
          .formatted(model, stream));
      case RESPONSES -> gateway.post("/v1/responses", key, """
          {"model":"%s","stream":%s,"store":false,"input":"hi"}""".formatted(model, stream));
    };
    gateway.awaitRecords(before + 1);
    return response;
  }

  /** The answer's text as the client reassembles it. */
  private static String text(HttpResponse<String> response, Api api, boolean stream) {
    if (!stream) {
      JsonObject body = new JsonObject(response.body());
      return switch (api) {
        case CHAT -> body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
        case MESSAGES -> body.getJsonArray("content").getJsonObject(0).getString("text");
        case RESPONSES -> body.getJsonArray("output").stream().map(JsonObject.class::cast)
            .filter(item -> "message".equals(item.getString("type")))
            .map(item -> item.getJsonArray("content").getJsonObject(0).getString("text")).findFirst().orElse("");
      };
    }
    StringBuilder text = new StringBuilder();
    for (String line : response.body().split("\n")) {
      if (!line.startsWith("data: {")) {
        continue;
      }
      JsonObject event = new JsonObject(line.substring(6));
      if (api == Api.CHAT && event.getJsonArray("choices") != null && !event.getJsonArray("choices").isEmpty()) {
        String delta = event.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content");
        text.append(delta == null ? "" : delta);
      } else if (api == Api.MESSAGES && "content_block_delta".equals(event.getString("type"))) {
        text.append(event.getJsonObject("delta").getString("text", ""));
      } else if (api == Api.RESPONSES && "response.output_text.delta".equals(event.getString("type"))) {
        text.append(event.getString("delta"));
      }
    }
    return text.toString();
  }
}
