package io.tokenrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.tokenrouter.support.CapturedLogs;
import io.tokenrouter.support.RawHttp;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the server answers of its own, before any route handles a request: every such error is
 * OpenAI's error object with the status HTTP asks for, and client garbage costs at most a WARN.
 */
class EdgeErrorsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private CapturedLogs logs;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    logs = CapturedLogs.capture();
    gateway = TestGateway.start("""
        server: { max_request_line_bytes: 1024, max_header_bytes: 2048, max_body_bytes: 4096 }
        providers: [ { name: mock, type: mock } ]
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """);
  }

  @AfterEach
  void stop() {
    gateway.close();
    assertThat(logs.lines(Level.ERROR)).isEmpty();
    logs.close();
  }

  private RawHttp.Response exchange(String request) {
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      return raw.send(request).read(WAIT);
    }
  }

  /** The error object of an OpenAI-shaped error response, after checking its shape. */
  static JsonObject openAiError(RawHttp.Response r) {
    assertThat(r.headers().get("content-type")).isEqualTo("application/json");
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
    assertThat(error.getString("message")).isNotBlank().doesNotContain("Exception", "io.", "com.", "`");
    return error;
  }

  @Test
  void badPercentEncodingInThePathIs400() {
    RawHttp.Response r = exchange("GET /v1/models/%zz HTTP/1.1\r\nHost: gw\r\n\r\n");

    assertThat(r.status()).isEqualTo(400);
    assertThat(openAiError(r).getString("code")).isEqualTo("invalid_url");
    assertThat(logs.lines(Level.WARN)).singleElement().asString().contains("malformed_url");
  }

  @Test
  void requestLineOverTheLimitIs414() {
    RawHttp.Response r = exchange("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: gw\r\n\r\n");

    assertThat(r.status()).isEqualTo(414);
    assertThat(openAiError(r).getString("message")).contains("1024 bytes");
  }

  @Test
  void headersOverTheLimitAre431() {
    RawHttp.Response r = exchange("GET /health HTTP/1.1\r\nHost: gw\r\nX-Big: " + "b".repeat(3000) + "\r\n\r\n");

    assertThat(r.status()).isEqualTo(431);
    assertThat(openAiError(r).getString("code")).isEqualTo("headers_too_large");
  }

  @Test
  void malformedRequestLineIs400() {
    RawHttp.Response r = exchange("GET /health HTTP/9.Z\r\nHost: gw\r\n\r\n");

    assertThat(r.status()).isEqualTo(400);
    assertThat(openAiError(r).getString("code")).isEqualTo("malformed_request");
  }

  @Test
  void protocolVersionOtherThanHttp1Is400() {
    RawHttp.Response r = exchange("GET /health HTTP/2.0\r\nHost: gw\r\n\r\n");

    assertThat(r.status()).isEqualTo(400);
    assertThat(openAiError(r).getString("code")).isEqualTo("http_version_not_supported");
  }

  @Test
  void malformedHeaderLineIs400() {
    RawHttp.Response r = exchange("GET /health HTTP/1.1\r\nHost: gw\r\nBad Header Name: x\r\n\r\n");

    assertThat(r.status()).isEqualTo(400);
    assertThat(openAiError(r).getString("code")).isEqualTo("malformed_request");
  }

  @Test
  void malformedChunkedBodyIs400() {
    RawHttp.Response r = exchange("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\nzz-not-a-size\r\n\r\n");

    assertThat(r.status()).isEqualTo(400);
    assertThat(openAiError(r).getString("code")).isEqualTo("malformed_body");
  }

  @Test
  void missingHostIs400() {
    RawHttp.Response r = exchange("GET /health HTTP/1.1\r\n\r\n");

    assertThat(r.status()).isEqualTo(400);
    assertThat(openAiError(r).getString("message")).contains("Host");
  }

  @Test
  void unknownUrlIs404() {
    RawHttp.Response r = exchange("GET /v2/nothing HTTP/1.1\r\nHost: gw\r\n\r\n");

    assertThat(r.status()).isEqualTo(404);
    assertThat(openAiError(r).getString("code")).isEqualTo("unknown_url");
  }

  @Test
  void wrongMethodIs405() {
    RawHttp.Response r = exchange("GET /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n\r\n");

    assertThat(r.status()).isEqualTo(405);
    assertThat(openAiError(r).getString("code")).isEqualTo("method_not_allowed");
  }

  @Test
  void bodyOverTheLimitIs413() {
    RawHttp.Response r = exchange("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Length: 5000\r\n\r\n"
        + "x".repeat(5000));

    assertThat(r.status()).isEqualTo(413);
    assertThat(openAiError(r).getString("code")).isEqualTo("request_too_large");
  }

  @Test
  void unsupportedExpectationIs417() {
    RawHttp.Response r = exchange("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nExpect: teapot\r\n"
        + "Content-Length: 2\r\n\r\n{}");

    assertThat(r.status()).isEqualTo(417);
    openAiError(r);
  }

  @Test
  void invalidUtf8InTheBodyIs400AndNamesTheOffset() {
    String key = gateway.createKey();
    byte[] body = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"\u00c0\u0080\"}]}"
        .getBytes(StandardCharsets.ISO_8859_1);
    byte[] head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes();
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      RawHttp.Response r = raw.send(head).send(body).read(WAIT);

      assertThat(r.status()).isEqualTo(400);
      assertThat(openAiError(r).getString("message")).isEqualTo(
          "The request body is not valid UTF-8: the bytes at offset 59 are not a UTF-8 character.");
    }
  }

  @Test
  void clientGarbageIsWarnedOncePerIntervalWithoutStackTraces() {
    for (int i = 0; i < 20; i++) {
      exchange("GET /v1/%zz HTTP/1.1\r\nHost: gw\r\n\r\n");
    }

    assertThat(logs.at(Level.WARN)).singleElement()
        .satisfies(e -> assertThat(e.getThrowableProxy()).isNull());
  }
}
