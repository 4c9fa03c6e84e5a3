package io.tokenrouter.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.SseClient;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A streamed answer is cut at the key's output cap, counted with the model's tokenizer. */
class OutputCapStreamTest {
  private static final int CAP = 12;
  private static final String LONG_ANSWER = "The quick brown fox jumps over the lazy dog, and then it keeps running "
      + "through the forest until the evening light fades behind the distant hills of the valley.";
  private FakeOpenAiServer upstream;
  private TestGateway gateway;
  private String key;

  @BeforeEach
  void start() {
    upstream = new FakeOpenAiServer();
    upstream.reply((req, res) -> FakeOpenAiServer.streamWords(req, res, LONG_ANSWER, 10));
    gateway = TestGateway.start("""
        providers: [ { name: openai, type: openai, base_url: "%s", api_key: sk-test } ]
        models: [ { name: gpt-4o-mini, targets: [ { provider: openai, model: gpt-4o-mini } ] } ]
        """.formatted(upstream.baseUrl()));
    key = gateway.createKey(null, new Limits(null, null, null, null, null, CAP, null, null));
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  private List<String> stream(String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try (SseClient sse = new SseClient(gateway.http(), request)) {
      return sse.rest();
    }
  }

  @Test
  void streamEndsWithExactlyTheCapsTokensAndFinishReasonLength() throws Exception {
    List<String> events = stream("{\"model\":\"gpt-4o-mini\",\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"tell me\"}]}");

    String text = SseClient.text(events);
    assertThat(new TokenEstimator().countText("gpt-4o-mini", text)).isEqualTo(CAP);
    assertThat(LONG_ANSWER).startsWith(text);
    assertThat(events.getLast()).isEqualTo("[DONE]");
    JsonObject last = new JsonObject(events.get(events.size() - 2));
    assertThat(last.getJsonArray("choices").getJsonObject(0).getString("finish_reason")).isEqualTo("length");
    assertThat(upstream.awaitConnectionClosed(5)).as("the upstream saw the cancellation").isTrue();
    assertThat(upstream.received().getFirst().body().getInteger("max_tokens")).isEqualTo(CAP);
    Map<String, Object> row = gateway.awaitRecords(1).getFirst();
    assertThat(row).containsEntry("completion_tokens", CAP).containsEntry("usage_estimated", true);
    assertThat(((Number) row.get("status")).intValue()).isEqualTo(200);
  }

  @Test
  void clientThatAskedForUsageGetsTheCappedCount() throws Exception {
    List<String> events = stream("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"tell me\"}]}");

    JsonObject usage = new JsonObject(events.get(events.size() - 2)).getJsonObject("usage");
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(CAP);
  }
}
