package io.tokenrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the client's side of a call does to the upstream call, and what it is told. */
@Timeout(30)
class ClientSideTest {
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private FakeOpenAiServer upstream;
  private TestGateway gateway;
  private String key;

  @BeforeEach
  void start() {
    upstream = new FakeOpenAiServer();
    gateway = TestGateway.start("""
        providers: [ { name: openai, type: openai, base_url: "%s", api_key: sk-test } ]
        models: [ { name: gpt-4o-mini, targets: [ { provider: openai, model: gpt-4o-mini } ] } ]
        """.formatted(upstream.baseUrl()));
    key = gateway.createKey();
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  /** Answers after {@code ms}, as a slow model does. */
  private void answerAfter(long ms) {
    upstream.reply((req, res) -> upstream.vertx().setTimer(ms, t -> {
      if (!res.closed()) {
        res.putHeader("content-type", "application/json")
            .end(FakeOpenAiServer.completion(req.getString("model"), "late answer").encode());
      }
    }));
  }

  private Socket send(String body) throws Exception {
    Socket socket = new Socket("127.0.0.1", gateway.port());
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
    out.flush();
    return socket;
  }

  private static String readAll(InputStream in) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) > 0; ) {
      all.write(buf, 0, n);
      if (all.toString(StandardCharsets.UTF_8).contains("late answer")) {
        break;
      }
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aClientThatHalfClosesAfterItsRequestStillGetsItsAnswer() throws Exception {
    answerAfter(500);
    try (Socket socket = send(CHAT)) {
      socket.shutdownOutput();
      String response = readAll(socket.getInputStream());
      assertThat(response).contains("HTTP/1.1 200 OK").contains("late answer");
    }
    assertThat(((Number) gateway.awaitRecords(1).getFirst().get("status")).intValue()).isEqualTo(200);
  }

  @Test
  void aClientThatGoesAwayCancelsTheUpstreamCallOfAWholeAnswer() throws Exception {
    answerAfter(5_000);
    Socket socket = send(CHAT);
    Thread.sleep(200);
    socket.close();

    assertThat(upstream.awaitConnectionClosed(5)).as("the upstream request was cancelled").isTrue();
    Map<String, Object> row = gateway.awaitRecords(1).getFirst();
    assertThat(((Number) row.get("status")).intValue()).isEqualTo(499);
  }

  @Test
  void aTruncatedUpstreamBodyIsABadGateway() {
    upstream.reply((req, res) -> res.putHeader("content-type", "application/json")
        .end("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\""));

    HttpResponse<String> r = gateway.post("/v1/chat/completions", key, CHAT);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("upstream_bad_response");
  }

  @Test
  void theProvidersRetryAfterReachesTheClientAsSent() {
    upstream.reply((req, res) -> res.setStatusCode(429).putHeader("Retry-After", "7")
        .end("{\"error\":{\"message\":\"slow down\"}}"));

    HttpResponse<String> r = gateway.post("/v1/chat/completions", key, CHAT);

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("7");
  }

  @Test
  void theProvidersUnavailableStaysUnavailableWithItsRetryAfter() {
    upstream.reply((req, res) -> res.setStatusCode(503).putHeader("Retry-After", "3")
        .end("{\"error\":{\"message\":\"busy\"}}"));

    HttpResponse<String> r = gateway.post("/v1/chat/completions", key, CHAT);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).hasValue("3");
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message")).contains("busy");
  }
}
