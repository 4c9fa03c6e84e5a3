package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.reply.GatewayError;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Provider error statuses, in Anthropic's body shape and OpenAI's (both carry error.message). */
class UpstreamStatusTest {
  private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

  private static Buffer body(String type, String message) {
    return Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}");
  }

  @ParameterizedTest
  @CsvSource({
      "400,invalid_request_error,400,INVALID_REQUEST,upstream_rejected",
      "404,not_found_error,404,NOT_FOUND,upstream_rejected",
      "413,request_too_large,413,REQUEST_TOO_LARGE,upstream_rejected",
      "401,authentication_error,502,UPSTREAM_AUTH,upstream_auth_failed",
      "403,permission_error,502,UPSTREAM_AUTH,upstream_auth_failed",
      "429,rate_limit_error,429,RATE_LIMITED,upstream_rate_limited",
      "500,api_error,502,UPSTREAM_ERROR,upstream_status_500",
      "503,overloaded_error,503,UPSTREAM_OVERLOADED,upstream_overloaded",
      "504,api_error,504,UPSTREAM_TIMEOUT,upstream_timeout",
      "529,overloaded_error,529,UPSTREAM_OVERLOADED,upstream_overloaded",
      "422,invalid_request_error,400,INVALID_REQUEST,upstream_rejected"})
  void statusesMapToWhatTheClientIsTold(int status, String anthropicType, int clientStatus, GatewayError.Kind kind,
      String code) {
    GatewayError e = UpstreamStatus.toError("claude", status, NO_HEADERS, body(anthropicType, "detail"));
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.status()).isEqualTo(clientStatus);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.upstreamStatus()).isEqualTo(status);
    assertThat(e.provider()).isEqualTo("claude");
  }

  @Test
  void theProvidersRetryAfterIsKeptAsItWasSent() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "7");
    assertThat(UpstreamStatus.toError("openai", 429, headers, body("rate_limit_error", "slow")).retryAfter())
        .isEqualTo("7");
    assertThat(UpstreamStatus.toError("openai", 503, headers, body("overloaded", "busy")).retryAfter())
        .isEqualTo("7");
  }

  @Test
  void theClientSeesAnthropicsMessageForItsOwnMistakes() {
    assertThat(UpstreamStatus.toError("claude", 400, NO_HEADERS, body("invalid_request_error", "max_tokens: too big"))
        .getMessage()).isEqualTo("max_tokens: too big");
  }

  @Test
  void openAiShapedMessageIsReadToo() {
    Buffer openAi = Buffer.buffer("{\"error\":{\"message\":\"context_length_exceeded\",\"type\":\"invalid_request_error\"}}");
    assertThat(UpstreamStatus.toError("openai", 400, NO_HEADERS, openAi).getMessage())
        .isEqualTo("context_length_exceeded");
  }

  @Test
  void aBodyThatIsNotJsonIsQuotedShort() {
    GatewayError e = UpstreamStatus.toError("claude", 502, NO_HEADERS, Buffer.buffer("<html>" + "x".repeat(1000)));
    assertThat(e.getMessage()).startsWith("Provider 'claude' answered 502: <html>").endsWith("...");
  }

  @Test
  void anEmptyBodyStillGivesAReason() {
    GatewayError e = UpstreamStatus.toError("claude", 500, NO_HEADERS, Buffer.buffer(""));
    assertThat(e.getMessage()).isEqualTo("Provider 'claude' answered 500: (no details in the response body)");
  }
}
