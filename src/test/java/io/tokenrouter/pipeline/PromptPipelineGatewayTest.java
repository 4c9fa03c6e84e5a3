package io.tokenrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.auth.ApiKeys;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.StoredKey;
import io.tokenrouter.support.FakeAnthropicServer;
import io.tokenrouter.support.RecordingUpstream;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The prompt pipeline on a running gateway, between real clients and local upstreams. */
class PromptPipelineGatewayTest {
  private static final String LONG = "word ".repeat(1500).strip();
  private static RecordingUpstream openAiCompatible;
  private static FakeAnthropicServer anthropic;
  private static TestGateway gateway;
  private static String key;

  @BeforeAll
  static void start() {
    openAiCompatible = new RecordingUpstream().cachedTokens(1536);
    anthropic = FakeAnthropicServer.start();
    gateway = TestGateway.start("""
        usage: { flush_interval: 20ms }
        providers:
          - { name: compatible, type: openai, base_url: "%s" }
          - { name: claude, type: anthropic, base_url: "%s" }
        models:
          - { name: chat, targets: [ { provider: compatible, model: chat } ] }
          - { name: claude-sonnet-4-5-20250929, targets: [ { provider: claude, model: claude-sonnet-4-5-20250929 } ] }
        """.formatted(openAiCompatible.baseUrl(), anthropic.baseUrl()));
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    anthropic.close();
    openAiCompatible.close();
  }

  @Test
  void aRequestTheStagesLeaveAloneReachesTheProviderAsTheClientsOwnBytes() {
    String body = "{ \"model\" : \"chat\", \"messages\":[{\"role\":\"system\",\"content\":\"S.\"},"
        + "{\"role\":\"user\",\"content\":\"hi  \"}] , \"n\": 1}";
    int before = openAiCompatible.bodies().size();

    HttpResponse<String> answer = gateway.post("/v1/chat/completions", key, body);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(new String(openAiCompatible.bodies().get(before), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(answer.headers().firstValue(PipelineReport.HEADER)).hasValueSatisfying(h -> assertThat(h)
        .matches("prefix=[0-9a-f]{16}"));
  }

  @Test
  void aMessyRequestReachesTheProviderTidiedAndTheHeaderSaysSo() throws Exception {
    String body = """
        {"model":"chat","messages":[{"role":"system","content":"S.  \\n"},{"role":"user","content":"hi"}],
         "tools":[{"type":"function","function":{"name":"z","parameters":{"type":"object","properties":{}}}},
                  {"type":"function","function":{"name":"a"}}]}""";
    int before = openAiCompatible.bodies().size();

    HttpResponse<String> answer = gateway.post("/v1/chat/completions", key, body);

    JsonNode sent = Json.MAPPER.readTree(openAiCompatible.bodies().get(before));
    assertThat(sent.at("/messages/0/content").asText()).isEqualTo("S.");
    assertThat(sent.at("/tools/0/function/name").asText()).isEqualTo("a");
    assertThat(sent.at("/tools/1/function/parameters").toString()).isEqualTo("{\"properties\":{},\"type\":\"object\"}");
    assertThat(answer.headers().firstValue(PipelineReport.HEADER).orElseThrow())
        .startsWith("changed=arranger,canonicalizer; prefix=");
  }

  @Test
  void aKeyThatTurnsTheRewritingStagesOffHasItsRequestsPassedAsSent() {
    String raw = ApiKeys.generate();
    new ApiKeyRepository(gateway.gateway().database().dataSource()).insert(new StoredKey(UUID.randomUUID(), "raw",
        ApiKeys.hash(raw), ApiKeys.displayPrefix(raw), List.of(), false, null, Instant.now(), null, null, null,
        false, List.of("arranger", "canonicalizer")));
    String body = "{\"model\":\"chat\",\"messages\":[{\"role\":\"system\",\"content\":\"S.  \\n\"},"
        + "{\"role\":\"user\",\"content\":\"hi\"}]}";
    int before = openAiCompatible.bodies().size();

    assertThat(gateway.post("/v1/chat/completions", raw, body).statusCode()).isEqualTo(200);

    assertThat(new String(openAiCompatible.bodies().get(before), StandardCharsets.UTF_8)).isEqualTo(body);
  }

  @Test
  void anAnthropicClientWithoutBreakpointsGetsThemPlacedAndCountedInTheHeader() throws Exception {
    anthropic.replyJson(200, FakeAnthropicServer.message("msg_1", "end_turn", "[{\"type\":\"text\",\"text\":\"ok\"}]",
        FakeAnthropicServer.usage(10, 2, 0, 4000)));
    String body = """
        {"model":"claude-sonnet-4-5-20250929","max_tokens":50,"system":"%s",
         "messages":[{"role":"user","content":"go"},{"role":"assistant","content":"ok"},{"role":"user","content":"more"}]}"""
        .formatted(LONG);
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/messages"))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();

    HttpResponse<String> answer = gateway.send(request);

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode sent = anthropic.last().body();
    assertThat(sent.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(sent.at("/messages/2/content/0/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(answer.headers().firstValue(PipelineReport.HEADER).orElseThrow()).contains("breakpoints=+2");
  }

  @Test
  void cacheHitsAndMissesAreCountedPerModelAndProvider() {
    gateway.post("/v1/chat/completions", key, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    String metrics = gateway.get("/metrics", null).body();

    assertThat(metrics).contains("tokenrouter_cache_hits_total{model=\"chat\",provider=\"compatible\"}");
  }
}
