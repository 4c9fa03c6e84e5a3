package io.tokenrouter.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.tokenrouter.support.FakeAnthropicServer;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.WeatherAgent;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official OpenAI Java SDK as a client of the running gateway ({@code /v1/chat/completions}),
 * served by an OpenAI upstream (relayed) and by an Anthropic one (translated), streamed and not:
 * a whole tool round trip, with cache reads and writes in OpenAI's terms ({@code prompt_tokens}
 * including the cached ones, {@code cached_tokens} and {@code cache_write_tokens} beside).
 */
@Timeout(60)
class OpenAiSdkConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeAnthropicServer anthropic;
  private static FakeOpenAiServer openai;
  private static TestGateway gateway;

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
          - name: gpt-via-openai
            targets: [ { provider: oai, model: gpt-via-openai } ]
          - name: gpt-via-anthropic
            targets: [ { provider: claude, model: claude-upstream } ]
        """.formatted(anthropic.baseUrl(), openai.baseUrl()));
  }

  @AfterAll
  static void stop() {
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

  private static ChatCompletionCreateParams firstTurn(String model, boolean stream) {
    ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage("You answer weather questions.")
        .addFunctionTool(FunctionDefinition.builder().name(WeatherAgent.TOOL).description("Current weather by city")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                .build())
            .build())
        .addUserMessage("Weather in Paris?");
    if (stream) {
      b.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    return b.build();
  }

  private static ChatCompletion send(OpenAIClient client, ChatCompletionCreateParams params, boolean stream) {
    if (!stream) {
      return client.chat().completions().create(params);
    }
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> chunks = client.chat().completions().createStreaming(params)) {
      chunks.stream().forEach(accumulator::accumulate);
    }
    return accumulator.chatCompletion();
  }

  @ParameterizedTest(name = "{0} upstream, stream={1}")
  @CsvSource({"openai,false", "openai,true", "anthropic,false", "anthropic,true"})
  void toolRoundTripWithCacheUsage(String provider, boolean stream) throws Exception {
    String model = provider.equals("openai") ? "gpt-via-openai" : "gpt-via-anthropic";
    String key = gateway.createKey();
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
        .apiKey(key).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
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

  private static void toolRoundTrip(OpenAIClient client, String provider, String model, boolean stream)
      throws Exception {
    ChatCompletionCreateParams first = firstTurn(model, stream);
    ChatCompletion call = send(client, first, stream);

    ChatCompletion.Choice choice = call.choices().getFirst();
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessage message = choice.message();
    assertThat(message.content()).hasValue(WeatherAgent.PREAMBLE);
    assertThat(message.toolCalls()).isPresent();
    assertThat(message.toolCalls().get()).hasSize(1);
    ChatCompletionMessageFunctionToolCall toolCall = message.toolCalls().get().getFirst().asFunction();
    String callId = provider.equals("openai") ? "call_01" : "toolu_01";
    assertThat(toolCall.id()).isEqualTo(callId);
    assertThat(toolCall.function().name()).isEqualTo(WeatherAgent.TOOL);
    assertThat(JSON.readTree(toolCall.function().arguments())).isEqualTo(JSON.readTree(WeatherAgent.ARGUMENTS));
    assertCacheUsage(call.usage().orElseThrow());

    ChatCompletionCreateParams next = first.toBuilder()
        .addMessage(message)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(toolCall.id())
            .content(WeatherAgent.TOOL_RESULT).build())
        .build();
    ChatCompletion answer = send(client, next, stream);

    assertThat(answer.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(answer.choices().getFirst().message().content()).hasValue(WeatherAgent.ANSWER);
    assertThat(answer.choices().getFirst().message().toolCalls().orElse(List.of())).isEmpty();
    assertCacheUsage(answer.usage().orElseThrow());

    if (provider.equals("anthropic")) {
      FakeAnthropicServer.Received last = anthropic.last();
      JsonNode sent = last.body();
      assertThat(sent.path("model").asText()).isEqualTo("claude-upstream");
      assertThat(sent.path("system")).isEqualTo(JSON.readTree(
          "[{\"type\":\"text\",\"text\":\"You answer weather questions.\"}]"));
      assertThat(sent.path("messages")).isEqualTo(JSON.readTree("""
          [{"role":"user","content":"Weather in Paris?"},
           {"role":"assistant","content":[{"type":"text","text":"Let me check."},
             {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"18C, sunny"}]}]
          """));
      assertThat(sent.path("tools")).isEqualTo(JSON.readTree("""
          [{"name":"get_weather","description":"Current weather by city",
            "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]
          """));
      assertThat(sent.path("stream").asBoolean(false)).isEqualTo(stream);
      assertThat(sent.has("stream_options")).isFalse();
      assertThat(last.headers().get("x-api-key")).isEqualTo("sk-ant-upstream");
      assertThat(last.headers().get("authorization")).isNull();
    } else {
      JsonObject sent = openai.received().getLast().body();
      assertThat(sent.getString("model")).isEqualTo("gpt-via-openai");
      assertThat(sent.getJsonArray("messages")).hasSize(4);
      assertThat(sent.getJsonArray("messages").getJsonObject(3).getString("tool_call_id")).isEqualTo("call_01");
      assertThat(openai.received().getLast().headers().get("Authorization")).isEqualTo("Bearer sk-oai-upstream");
    }
  }

  private static void assertCacheUsage(CompletionUsage usage) {
    assertThat(usage.promptTokens()).isEqualTo(WeatherAgent.PROMPT);
    assertThat(usage.completionTokens()).isEqualTo(WeatherAgent.OUTPUT);
    assertThat(usage.totalTokens()).isEqualTo(WeatherAgent.PROMPT + WeatherAgent.OUTPUT);
    CompletionUsage.PromptTokensDetails details = usage.promptTokensDetails().orElseThrow();
    assertThat(details.cachedTokens()).hasValue((long) WeatherAgent.CACHE_READ);
    assertThat(details.cacheWriteTokens()).hasValue((long) WeatherAgent.CACHE_WRITE);
  }
}
