package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.SseClient;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream exchange's deadlines share one timer; each still ends the exchange at its own
 * time, whichever of them is shortest.
 */
class UpstreamDeadlinesTest {
  private FakeOpenAiServer upstream;
  private TestGateway gateway;
  private String key;

  @BeforeEach
  void start() {
    upstream = new FakeOpenAiServer();
    gateway = TestGateway.start("""
        providers:
          - { name: slow-head-ok, type: openai, base_url: "%s", api_key: sk-x, timeouts: { first_byte: 60s, idle: 300ms } }
        models:
          - { name: m, targets: [ { provider: slow-head-ok, model: m-up } ] }
        """.formatted(upstream.baseUrl()));
    key = gateway.createKey();
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  @Test
  void anIdleTimeoutShorterThanTheFirstByteTimeoutEndsAStalledStreamOnTime() throws Exception {
    upstream.reply((req, res) -> {
      res.setChunked(true).putHeader("content-type", "text/event-stream");
      res.write(FakeOpenAiServer.chunk(req, new JsonObject().put("content", "a"), null));
    });
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build();

    long started = System.nanoTime();
    List<String> events;
    try (SseClient sse = new SseClient(gateway.http(), request)) {
      events = sse.rest();
    }

    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("ended by the idle deadline, not the first-byte one")
        .isLessThan(Duration.ofSeconds(30));

    assertThat(new JsonObject(events.get(events.size() - 2)).getJsonObject("error").getString("code"))
        .isEqualTo("upstream_timeout");
    assertThat(events.get(events.size() - 2)).contains("nothing received for");
  }
}
