package io.tokenrouter.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.support.FakeAnthropicServer;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.WeatherAgent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official Anthropic Java SDK as a client of the running gateway ({@code /v1/messages}),
 * served by an Anthropic upstream (relayed) and by an OpenAI-compatible one (translated), streamed
 * and not: a whole tool round trip, with cache reads and writes in Anthropic's terms
 * ({@code input_tokens} without the cached ones), and count_tokens.
 */
@Timeout(60)
class AnthropicSdkConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeAnthropicServer anthropic;
  private static FakeOpenAiServer openai;
  private static TestGateway gateway;
  private static AnthropicClient client;
  private static AnthropicClient bearerClient;

  @BeforeAll
  static void start() {
    anthropic = FakeAnthropicServer.start();
    anthropic.reply(WeatherAgent::anthropic);
    openai = new FakeOpenAiServer();
    openai.reply(WeatherAgent::openAi);
    gateway = TestGateway.start("""
        providers:
          - { name: claude, type: anthropic, base_url: "%s", api_key: sk-ant-upstream }
          - { name: oai, type: openai, base_url: "%s", api_key: sk-oai-upstream }
        models:
          - name: claude-via-anthropic
            targets: [ { provider: claude, model: claude-via-anthropic } ]
          - name: claude-via-openai
            targets: [ { provider: oai, model: gpt-4o-upstream } ]
          - name: claude-via-reasoner
            targets: [ { provider: oai, model: deepseek-reasoner } ]
        """.formatted(anthropic.baseUrl(), openai.baseUrl()));
    String key = gateway.createKey();
    client = clientWith(key);
    bearerClient = AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port()).authToken(key)
        .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
      bearerClient.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (openai != null) {
      openai.close();
    }
    if (anthropic != null) {
      anthropic.close();
    }
  }

  private static MessageCreateParams firstTurn(String model) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(1024)
        .system("You answer weather questions.")
        .addTool(Tool.builder().name(WeatherAgent.TOOL).description("Current weather by city")
            .inputSchema(Tool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .required(List.of("city")).build())
            .build())
        .addUserMessage("Weather in Paris?")
        .build();
  }

  private static Message send(AnthropicClient with, MessageCreateParams params, boolean stream) {
    if (!stream) {
      return with.messages().create(params);
    }
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> events = with.messages().createStreaming(params)) {
      events.stream().forEach(accumulator::accumulate);
    }
    return accumulator.message();
  }

  @ParameterizedTest(name = "{0} upstream, stream={1}")
  @CsvSource({"anthropic,false", "anthropic,true", "openai,false", "openai,true", "reasoner,false", "reasoner,true"})
  void toolRoundTripWithCacheUsage(String provider, boolean stream) throws Exception {
    String model = "claude-via-" + provider;
    String key = gateway.createKey();

    AnthropicClient client = clientWith(key);
    try {
      toolRoundTrip(client, provider, model, stream);
    } finally {
      client.close();
    }

    List<Map<String, Object>> rows = gateway.awaitRecordsOf(gateway.keyId(key), 2);
    assertThat(rows).hasSize(2);
    for (Map<String, Object> row : rows) {
      assertThat(row.get("model")).isEqualTo(model);
      assertThat(((Number) row.get("status")).intValue()).isEqualTo(200);
      assertThat(((Number) row.get("prompt_tokens")).intValue()).isEqualTo(WeatherAgent.PROMPT);
      assertThat(((Number) row.get("completion_tokens")).intValue()).isEqualTo(WeatherAgent.OUTPUT);
      assertThat(((Number) row.get("cache_read_tokens")).intValue()).isEqualTo(WeatherAgent.CACHE_READ);
      assertThat(((Number) row.get("cache_write_tokens")).intValue()).isEqualTo(WeatherAgent.CACHE_WRITE);
      assertThat(row.get("usage_estimated")).isEqualTo(false);
      assertThat(row.get("stream")).isEqualTo(stream);
    }
  }

  private static AnthropicClient clientWith(String key) {
    return AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port()).apiKey(key)
        .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
  }

  private static void toolRoundTrip(AnthropicClient client, String provider, String model, boolean stream)
      throws Exception {
    MessageCreateParams first = firstTurn(model);
    Message call = send(client, first, stream);

    assertThat(call.stopReason()).hasValue(StopReason.TOOL_USE);
    // a reasoning model's reasoning_content is a thinking block ahead of the answer
    boolean reasoner = provider.equals("reasoner");
    List<ContentBlock> blocks = call.content();
    if (reasoner) {
      assertThat(blocks.getFirst().isThinking()).isTrue();
      assertThat(blocks.getFirst().asThinking().thinking()).isEqualTo(WeatherAgent.REASONING);
      assertThat(blocks.getFirst().asThinking().signature()).isEmpty();
      blocks = blocks.subList(1, blocks.size());
    }
    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0).isText()).isTrue();
    assertThat(blocks.get(0).asText().text()).isEqualTo(WeatherAgent.PREAMBLE);
    ContentBlock second = blocks.get(1);
    assertThat(second.isToolUse()).isTrue();
    ToolUseBlock toolUse = second.asToolUse();
    assertThat(toolUse.id()).isEqualTo(provider.equals("anthropic") ? "toolu_01" : "call_01");
    assertThat(toolUse.name()).isEqualTo(WeatherAgent.TOOL);
    assertThat(JSON.readTree(JSON.writeValueAsString(toolUse._input())))
        .isEqualTo(JSON.readTree(WeatherAgent.ARGUMENTS));
    assertCacheUsage(call.usage());

    MessageCreateParams next = first.toBuilder()
        .addMessage(call.toParam())
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
            .toolUseId(toolUse.id()).content(WeatherAgent.TOOL_RESULT).build())))
        .build();
    Message answer = send(client, next, stream);

    assertThat(answer.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(answer.content()).hasSize(reasoner ? 2 : 1);
    assertThat(answer.content().getLast().asText().text()).isEqualTo(WeatherAgent.ANSWER);
    assertCacheUsage(answer.usage());

    if (provider.equals("anthropic")) {
      JsonNode sent = anthropic.last().body();
      assertThat(sent.path("model").asText()).isEqualTo("claude-via-anthropic");
      assertThat(sent.path("system").asText()).isEqualTo("You answer weather questions.");
      JsonNode messages = sent.path("messages");
      assertThat(messages).hasSize(3);
      assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
      assertThat(messages.get(1).path("content").get(1).path("type").asText()).isEqualTo("tool_use");
      assertThat(messages.get(1).path("content").get(1).path("id").asText()).isEqualTo("toolu_01");
      assertThat(messages.get(2).path("content").get(0).path("type").asText()).isEqualTo("tool_result");
      assertThat(messages.get(2).path("content").get(0).path("tool_use_id").asText()).isEqualTo("toolu_01");
      assertThat(anthropic.last().headers().get("x-api-key")).isEqualTo("sk-ant-upstream");
      // the SDK's own version header, forwarded as it sent it
      assertThat(anthropic.last().headers().get("anthropic-version")).matches("\\d{4}-\\d{2}-\\d{2}");
    } else {
      JsonObject sent = openai.received().getLast().body();
      assertThat(sent.getString("model")).isEqualTo(reasoner ? "deepseek-reasoner" : "gpt-4o-upstream");
      JsonArray messages = sent.getJsonArray("messages");
      assertThat(messages.getJsonObject(0)).isEqualTo(new JsonObject().put("role", "system")
          .put("content", "You answer weather questions."));
      assertThat(messages.getJsonObject(1)).isEqualTo(new JsonObject().put("role", "user")
          .put("content", "Weather in Paris?"));
      JsonObject assistant = messages.getJsonObject(2);
      assertThat(assistant.getString("role")).isEqualTo("assistant");
      assertThat(assistant.getString("content")).isEqualTo(WeatherAgent.PREAMBLE);
      JsonObject toolCall = assistant.getJsonArray("tool_calls").getJsonObject(0);
      assertThat(toolCall.getString("id")).isEqualTo("call_01");
      assertThat(toolCall.getJsonObject("function").getString("name")).isEqualTo(WeatherAgent.TOOL);
      assertThat(new JsonObject(toolCall.getJsonObject("function").getString("arguments")))
          .isEqualTo(new JsonObject(WeatherAgent.ARGUMENTS));
      assertThat(messages.getJsonObject(3)).isEqualTo(new JsonObject().put("role", "tool")
          .put("tool_call_id", "call_01").put("content", WeatherAgent.TOOL_RESULT));
      assertThat(messages).hasSize(4);
      JsonObject tool = sent.getJsonArray("tools").getJsonObject(0);
      assertThat(tool.getString("type")).isEqualTo("function");
      assertThat(tool.getJsonObject("function").getString("name")).isEqualTo(WeatherAgent.TOOL);
      assertThat(tool.getJsonObject("function").getJsonObject("parameters").getJsonArray("required"))
          .containsExactly("city");
      assertThat(sent.getInteger("max_tokens")).isEqualTo(1024);
      if (stream) {
        assertThat(sent.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
      }
      assertThat(openai.received().getLast().headers().get("Authorization")).isEqualTo("Bearer sk-oai-upstream");
    }
  }

  private static void assertCacheUsage(Usage usage) {
    assertThat(usage.inputTokens()).isEqualTo(WeatherAgent.UNCACHED);
    assertThat(usage.cacheCreationInputTokens()).hasValue((long) WeatherAgent.CACHE_WRITE);
    assertThat(usage.cacheReadInputTokens()).hasValue((long) WeatherAgent.CACHE_READ);
    assertThat(usage.outputTokens()).isEqualTo(WeatherAgent.OUTPUT);
  }

  @Test
  void bearerTokenIsAcceptedLikeAnApiKey() {
    Message reply = send(bearerClient, firstTurn("claude-via-anthropic"), false);
    assertThat(reply.stopReason()).hasValue(StopReason.TOOL_USE);
    assertThat(anthropic.last().headers().get("authorization")).isNull();
    assertThat(anthropic.last().headers().get("x-api-key")).isEqualTo("sk-ant-upstream");
  }

  @Test
  void countTokensIsAskedOfAnAnthropicUpstream() {
    long count = client.messages().countTokens(MessageCountTokensParams.builder().model("claude-via-anthropic")
        .system("You answer weather questions.").addUserMessage("Weather in Paris?").build()).inputTokens();

    assertThat(count).isEqualTo(42);
    FakeAnthropicServer.Received asked = anthropic.last();
    assertThat(asked.path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(asked.body().path("model").asText()).isEqualTo("claude-via-anthropic");
    assertThat(asked.body().has("max_tokens")).isFalse();
  }

  @Test
  void countTokensIsCountedLocallyForAnOpenAiUpstream() {
    int asked = openai.received().size();
    MessageCountTokensParams bare = MessageCountTokensParams.builder().model("claude-via-openai")
        .addUserMessage("Weather in Paris?").build();
    MessageCountTokensParams full = MessageCountTokensParams.builder().model("claude-via-openai")
        .system("You answer weather questions, briefly and precisely, in the units the user uses.")
        .addTool(com.anthropic.models.messages.MessageCountTokensTool.ofTool(Tool.builder().name(WeatherAgent.TOOL)
            .description("Current weather by city")
            .inputSchema(Tool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("city", Map.of("type", "string")))).build())
            .build()))
        .addUserMessage("Weather in Paris?").build();

    long small = client.messages().countTokens(bare).inputTokens();
    long large = client.messages().countTokens(full).inputTokens();

    assertThat(small).isPositive();
    // system and tools are counted too
    assertThat(large).isGreaterThan(small + 20);
    assertThat(openai.received()).hasSize(asked);
  }

  @Test
  void theBetaApiAsClaudeCodeCallsIt() {
    // the SDK's beta messages call POST /v1/messages?beta=true with the anthropic-beta header
    com.anthropic.models.beta.messages.MessageCreateParams params =
        com.anthropic.models.beta.messages.MessageCreateParams.builder()
            .model("claude-via-anthropic").maxTokens(256).addBeta("interleaved-thinking-2025-05-14")
            .addBeta("some-future-beta-2099-01-01").addUserMessage("Weather in Paris?").build();

    com.anthropic.models.beta.messages.BetaMessage reply = client.beta().messages().create(params);

    assertThat(reply.content()).hasSize(2);
    assertThat(reply.usage().cacheReadInputTokens()).hasValue((long) WeatherAgent.CACHE_READ);
    FakeAnthropicServer.Received sent = anthropic.last();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.headers().get("anthropic-beta"))
        .isEqualTo("interleaved-thinking-2025-05-14,some-future-beta-2099-01-01");

    com.anthropic.models.beta.messages.MessageCountTokensParams count =
        com.anthropic.models.beta.messages.MessageCountTokensParams.builder().model("claude-via-openai")
            .addBeta("token-counting-2024-11-01").addUserMessage("Weather in Paris?").build();
    assertThat(client.beta().messages().countTokens(count).inputTokens()).isPositive();
  }
}
