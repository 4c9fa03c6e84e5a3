package io.tokenrouter.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import io.tokenrouter.support.FakeUpstream;
import io.tokenrouter.support.ProviderFakes;
import io.tokenrouter.support.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI Java SDK's Responses client against the gateway, served by a local upstream
 * of every provider wire format: OpenAI's own Responses API (relayed), chat completions (OpenAI
 * and Azure OpenAI), Anthropic's Messages and Gemini (translated), stream and not, with a tool
 * call answered through {@code previous_response_id}.
 */
@Timeout(60)
class OpenAiSdkResponsesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Model name → the fake upstream behind it. */
  private static final Map<String, FakeUpstream> UPSTREAMS = new LinkedHashMap<>();
  private static TestGateway gateway;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    FakeUpstream responses = new FakeUpstream();
    responses.reply(ProviderFakes.responses("gpt-native"));
    FakeUpstream chat = new FakeUpstream();
    chat.reply(ProviderFakes.chat("gpt-chat"));
    FakeUpstream azure = new FakeUpstream();
    azure.reply(ProviderFakes.chat("azure-gpt"));
    FakeUpstream claude = new FakeUpstream();
    claude.reply(ProviderFakes.anthropic("claude"));
    FakeUpstream gemini = new FakeUpstream();
    gemini.reply(ProviderFakes.gemini("gemini-flash"));
    UPSTREAMS.put("gpt-native", responses);
    UPSTREAMS.put("gpt-chat", chat);
    UPSTREAMS.put("azure-gpt", azure);
    UPSTREAMS.put("claude", claude);
    UPSTREAMS.put("gemini-flash", gemini);
    gateway = TestGateway.start("""
        providers:
          - { name: openai-native, type: openai, base_url: "%s/v1", api_key: sk-native, responses: native }
          - { name: openai-chat, type: openai, base_url: "%s/v1", api_key: sk-chat }
          - { name: azure, type: azure, base_url: "%s", api_key: az-key, api_version: 2024-10-21 }
          - { name: anthropic, type: anthropic, base_url: "%s", api_key: sk-ant }
          - { name: gemini, type: gemini, base_url: "%s", api_key: gm-key }
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
        models:
          - { name: gpt-native, targets: [ { provider: openai-native, model: gpt-5 } ] }
          - { name: gpt-chat, targets: [ { provider: openai-chat, model: gpt-4o } ] }
          - { name: azure-gpt, targets: [ { provider: azure, model: prod-gpt4o } ] }
          - { name: claude, targets: [ { provider: anthropic, model: claude-sonnet-4-5 } ] }
          - { name: gemini-flash, targets: [ { provider: gemini, model: gemini-2.5-flash } ] }
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
        """.formatted(responses.baseUrl(), chat.baseUrl(), azure.baseUrl(), claude.baseUrl(), gemini.baseUrl()));
    client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
        .apiKey(gateway.createKey()).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    UPSTREAMS.values().forEach(FakeUpstream::close);
  }

  static Stream<String> upstreamModels() {
    return UPSTREAMS.keySet().stream();
  }

  private static FunctionTool weatherTool() {
    return FunctionTool.builder().name("get_weather").description("The weather in a city").strict(true)
        .parameters(FunctionTool.Parameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .putAdditionalProperty("additionalProperties", JsonValue.from(false))
            .build())
        .build();
  }

  private static String text(Response response) {
    StringBuilder sb = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> sb.append(t.text()))));
    }
    return sb.toString();
  }

  private static void assertUsage(ResponseUsage usage) {
    assertThat(usage.inputTokens()).isEqualTo(20);
    assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(8);
    assertThat(usage.outputTokens()).isEqualTo(5);
    assertThat(usage.totalTokens()).isEqualTo(25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upstreamModels")
  void textAnswer(String model) {
    Response response = client.responses().create(ResponseCreateParams.builder().model(model)
        .instructions("Answer briefly.").input("Say hello").build());

    assertThat(text(response)).isEqualTo("Hello from " + model);
    assertThat(response.status()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("completed"));
    assertUsage(response.usage().orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upstreamModels")
  void streamedTextAnswer(String model) {
    StringBuilder deltas = new StringBuilder();
    List<Response> completed = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ResponseCreateParams.builder().model(model).input("Say hello").build())) {
      stream.stream().forEach(event -> {
        event.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
        event.completed().ifPresent(c -> completed.add(c.response()));
      });
    }

    assertThat(deltas.toString()).isEqualTo("Hello from " + model);
    assertThat(completed).hasSize(1);
    assertThat(text(completed.getFirst())).isEqualTo("Hello from " + model);
    assertUsage(completed.getFirst().usage().orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upstreamModels")
  void toolCallAnsweredThroughPreviousResponseId(String model) throws Exception {
    Response first = client.responses().create(ResponseCreateParams.builder().model(model)
        .input("What is the weather in Paris?").addTool(weatherTool()).build());
    ResponseFunctionToolCall call = first.output().stream().flatMap(i -> i.functionCall().stream()).findFirst()
        .orElseThrow();
    assertThat(call.name()).isEqualTo("get_weather");
    assertThat(JSON.readTree(call.arguments())).isEqualTo(JSON.readTree(ProviderFakes.ARGUMENTS));

    Response second = continueAfterKept(ResponseCreateParams.builder().model(model).previousResponseId(first.id())
        .addTool(weatherTool()).inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(
            ResponseInputItem.FunctionCallOutput.builder().callId(call.callId()).output("18C and sunny").build())))
        .build());

    assertThat(text(second)).isEqualTo("Hello from " + model);
    String sent = UPSTREAMS.get(model).last().text();
    assertThat(sent).contains("What is the weather in Paris?").contains("18C and sunny").contains("get_weather");
  }

  /** The first response is kept off the event loop: the continuation may have to wait a moment for it. */
  private static Response continueAfterKept(ResponseCreateParams params) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        return client.responses().create(params);
      } catch (NotFoundException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upstreamModels")
  void streamedToolCall(String model) throws Exception {
    List<String> arguments = new ArrayList<>();
    List<Response> completed = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ResponseCreateParams.builder().model(model).input("Weather in Paris?").addTool(weatherTool()).build())) {
      stream.stream().forEach(event -> {
        event.outputItemDone().flatMap(d -> d.item().functionCall()).ifPresent(c -> arguments.add(c.arguments()));
        event.completed().ifPresent(c -> completed.add(c.response()));
      });
    }

    assertThat(arguments).hasSize(1);
    assertThat(JSON.readTree(arguments.getFirst())).isEqualTo(JSON.readTree(ProviderFakes.ARGUMENTS));
    assertThat(completed).hasSize(1);
  }

  @Test
  void mockProviderAnswersTheSdkToo() {
    Response response = client.responses().create(ResponseCreateParams.builder().model("mock-chat")
        .input("ping").build());

    assertThat(text(response)).isEqualTo("Echo: ping");
  }

  @Test
  void nativeProviderGetsTheClientsRequestAndKeyOfItsOwn() throws Exception {
    client.responses().create(ResponseCreateParams.builder().model("gpt-native").input("Say hello")
        .store(false).build());

    FakeUpstream.Received sent = UPSTREAMS.get("gpt-native").last();
    assertThat(sent.uri()).isEqualTo("/v1/responses");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer sk-native");
    JsonNode body = JSON.readTree(sent.text());
    assertThat(body.path("model").asText()).isEqualTo("gpt-5");
    assertThat(body.path("store").asBoolean(true)).isFalse();
  }

  @Test
  void aNativeStreamTheClientAsksNotToStoreIsRelayedWhole() {
    StringBuilder deltas = new StringBuilder();
    List<Response> completed = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        ResponseCreateParams.builder().model("gpt-native").input("Say hello").store(false).build())) {
      stream.stream().forEach(event -> {
        event.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
        event.completed().ifPresent(c -> completed.add(c.response()));
      });
    }

    assertThat(deltas.toString()).isEqualTo("Hello from gpt-native");
    assertThat(completed).hasSize(1);
    assertUsage(completed.getFirst().usage().orElseThrow());
  }

  @Test
  void azureGetsTheDeploymentInThePathAndItsKeyHeader() {
    client.responses().create(ResponseCreateParams.builder().model("azure-gpt").input("Say hello").build());

    FakeUpstream.Received sent = UPSTREAMS.get("azure-gpt").last();
    assertThat(sent.uri()).isEqualTo("/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21");
    assertThat(sent.headers().get("api-key")).isEqualTo("az-key");
    assertThat(sent.headers().contains("authorization")).isFalse();
  }

  @Test
  void geminiGetsItsOwnPathAndKeyHeader() {
    client.responses().create(ResponseCreateParams.builder().model("gemini-flash").input("Say hello").build());

    FakeUpstream.Received sent = UPSTREAMS.get("gemini-flash").last();
    assertThat(sent.uri()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.headers().get("x-goog-api-key")).isEqualTo("gm-key");
  }
}
