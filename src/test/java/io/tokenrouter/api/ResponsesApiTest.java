package io.tokenrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.support.SseClient;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Responses API served from neutral events (the mock provider): its objects, its event sequence, kept responses. */
@Timeout(30)
class ResponsesApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestGateway gateway;
  private static String key;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("""
        providers:
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
        models:
          - name: mock-chat
            targets: [ { provider: mock, model: mock-chat } ]
        """);
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static JsonNode post(String key, String body) throws Exception {
    HttpResponse<String> response = gateway.post("/v1/responses", key, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void wholeResponseHasTheMessageItemAndUsage() throws Exception {
    JsonNode r = post(key, """
        {"model":"mock-chat","instructions":"Be terse.","input":"Hello there"}""");

    assertThat(r.path("object").asText()).isEqualTo("response");
    assertThat(r.path("id").asText()).startsWith("resp_");
    assertThat(r.path("status").asText()).isEqualTo("completed");
    assertThat(r.path("instructions").asText()).isEqualTo("Be terse.");
    JsonNode item = r.path("output").get(0);
    assertThat(item.path("type").asText()).isEqualTo("message");
    assertThat(item.path("role").asText()).isEqualTo("assistant");
    assertThat(item.path("content").get(0).path("type").asText()).isEqualTo("output_text");
    assertThat(item.path("content").get(0).path("text").asText()).isEqualTo("Echo: Hello there");
    JsonNode usage = r.path("usage");
    assertThat(usage.path("output_tokens").asInt()).isEqualTo(3);
    assertThat(usage.path("total_tokens").asInt())
        .isEqualTo(usage.path("input_tokens").asInt() + usage.path("output_tokens").asInt());
    assertThat(usage.path("input_tokens_details").has("cached_tokens")).isTrue();
    assertThat(usage.path("output_tokens_details").has("reasoning_tokens")).isTrue();
  }

  @Test
  void streamFollowsTheDocumentedEventSequence() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/responses")).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"mock-chat\",\"input\":\"one two\",\"stream\":true}"))
        .build();
    List<JsonNode> events = new ArrayList<>();
    try (SseClient sse = new SseClient(gateway.http(), request)) {
      assertThat(sse.response().headers().firstValue("content-type")).hasValueSatisfying(
          v -> assertThat(v).startsWith("text/event-stream"));
      for (String data : sse.rest()) {
        events.add(JSON.readTree(data));
      }
    }

    List<String> types = events.stream().map(e -> e.path("type").asText()).distinct().toList();
    assertThat(types).containsExactly("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    }
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> e.path("type").asText().equals("response.output_text.delta"))
        .forEach(e -> text.append(e.path("delta").asText()));
    assertThat(text.toString()).isEqualTo("Echo: one two");
    JsonNode done = events.getLast().path("response");
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("usage").path("output_tokens").asInt()).isEqualTo(3);
    assertThat(done.path("output").get(0).path("content").get(0).path("text").asText()).isEqualTo("Echo: one two");
  }

  @Test
  void previousResponseIdContinuesTheConversationOfTheSameKeyOnly() throws Exception {
    JsonNode first = post(key, "{\"model\":\"mock-chat\",\"input\":\"remember me\"}");
    String id = first.path("id").asText();

    JsonNode second = awaitContinuation(key, id);
    assertThat(second.path("previous_response_id").asText()).isEqualTo(id);
    assertThat(second.path("output").get(0).path("content").get(0).path("text").asText())
        .isEqualTo("Echo: and now?");

    String other = gateway.createKey();
    HttpResponse<String> refused = gateway.post("/v1/responses", other,
        "{\"model\":\"mock-chat\",\"previous_response_id\":\"" + id + "\",\"input\":\"x\"}");
    assertThat(refused.statusCode()).isEqualTo(404);
    JsonNode error = JSON.readTree(refused.body()).path("error");
    assertThat(error.path("param").asText()).isEqualTo("previous_response_id");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
  }

  /** Responses are kept off the event loop, so the first may land a moment after its answer. */
  private static JsonNode awaitContinuation(String key, String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      HttpResponse<String> response = gateway.post("/v1/responses", key,
          "{\"model\":\"mock-chat\",\"previous_response_id\":\"" + id + "\",\"input\":\"and now?\"}");
      if (response.statusCode() == 200 || System.nanoTime() > deadline) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
      }
      Thread.sleep(20);
    }
  }

  @Test
  void keptResponseCanBeReadAndDeletedByItsKey() throws Exception {
    JsonNode made = post(key, "{\"model\":\"mock-chat\",\"input\":\"keep this\"}");
    String id = made.path("id").asText();
    awaitContinuation(key, id);

    HttpResponse<String> read = gateway.get("/v1/responses/" + id, key);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(read.body()).path("output")).isEqualTo(made.path("output"));
    assertThat(gateway.get("/v1/responses/" + id, gateway.createKey()).statusCode()).isEqualTo(404);

    HttpResponse<String> deleted = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/responses/" + id))
        .header("Authorization", "Bearer " + key).DELETE().build());
    assertThat(JSON.readTree(deleted.body()).path("deleted").asBoolean()).isTrue();
    assertThat(gateway.get("/v1/responses/" + id, key).statusCode()).isEqualTo(404);
  }

  @Test
  void storeFalseKeepsNothing() throws Exception {
    JsonNode made = post(key, "{\"model\":\"mock-chat\",\"input\":\"forget this\",\"store\":false}");
    Thread.sleep(200);

    assertThat(gateway.get("/v1/responses/" + made.path("id").asText(), key).statusCode()).isEqualTo(404);
  }
}
