package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Provider error statuses, in Anthropic's body shape and OpenAI's (both carry error.message). */
class UpstreamStatusTest {
  private static Buffer body(String type, String message) {
    return Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}");
  }

  @ParameterizedTest
  @CsvSource({
      "400,invalid_request_error,400,invalid_request_error,upstream_rejected",
      "404,not_found_error,404,invalid_request_error,upstream_rejected",
      "413,request_too_large,413,invalid_request_error,upstream_rejected",
      "401,authentication_error,502,upstream_error,upstream_auth_failed",
      "403,permission_error,502,upstream_error,upstream_auth_failed",
      "429,rate_limit_error,429,rate_limit_error,upstream_rate_limited",
      "500,api_error,502,upstream_error,upstream_status_500",
      "529,overloaded_error,502,upstream_error,upstream_overloaded",
      "422,invalid_request_error,400,invalid_request_error,upstream_rejected"})
  void statusesMapToWhatTheClientIsTold(int status, String anthropicType, int clientStatus, String type, String code) {
    UpstreamException e = UpstreamStatus.toException("claude", status, body(anthropicType, "detail"));
    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.STATUS);
    assertThat(e.clientStatus()).isEqualTo(clientStatus);
    assertThat(e.errorType()).isEqualTo(type);
    assertThat(e.code()).isEqualTo(code);
  }

  @Test
  void theClientSeesAnthropicsMessageForItsOwnMistakes() {
    assertThat(UpstreamStatus.toException("claude", 400, body("invalid_request_error", "max_tokens: too big")).getMessage())
        .isEqualTo("max_tokens: too big");
  }

  @Test
  void openAiShapedMessageIsReadToo() {
    Buffer openAi = Buffer.buffer("{\"error\":{\"message\":\"context_length_exceeded\",\"type\":\"invalid_request_error\"}}");
    assertThat(UpstreamStatus.toException("openai", 400, openAi).getMessage()).isEqualTo("context_length_exceeded");
  }

  @Test
  void aBodyThatIsNotJsonIsQuotedShort() {
    UpstreamException e = UpstreamStatus.toException("claude", 502, Buffer.buffer("<html>" + "x".repeat(1000)));
    assertThat(e.getMessage()).startsWith("Provider 'claude' answered 502: <html>").endsWith("...");
  }
}
