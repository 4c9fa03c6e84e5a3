package io.tokenrouter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.SseClient;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The recorder never drops a record: when it has no room, new requests get 503 instead. */
class UsageBackpressureTest {

  @Test
  void requestBeyondTheRecorderCapacityIs503AndEveryAcceptedOneIsRecorded() throws Exception {
    try (TestGateway gateway = TestGateway.start("""
        usage: { queue_capacity: 1 }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 200ms } } ]
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """)) {
      String key = gateway.createKey();
      HttpRequest slow = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
          .header("Authorization", "Bearer " + key)
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"mock-chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two\"}]}"))
          .build();

      try (SseClient inFlight = new SseClient(gateway.http(), slow)) {
        assertThat(inFlight.next()).isNotNull();

        HttpResponse<String> refused = gateway.post("/v1/chat/completions", key,
            "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        assertThat(inFlight.rest()).last().isEqualTo("[DONE]");
      }
      assertThat(gateway.awaitRecords(1)).hasSize(1);
      assertThat(gateway.get("/metrics", null).body()).contains("tokenrouter_usage_queue_full_total 1.0");
    }
  }
}
