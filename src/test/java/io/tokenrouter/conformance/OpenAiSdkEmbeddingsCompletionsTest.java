package io.tokenrouter.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.tokenrouter.support.FakeUpstream;
import io.tokenrouter.support.ProviderFakes;
import io.tokenrouter.support.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official OpenAI Java SDK's embeddings and legacy completions clients against the gateway:
 * relayed to OpenAI-format upstreams (OpenAI's layout and Azure's), and completions translated
 * for Anthropic, Gemini and the mock; usage reaches the request records.
 */
@Timeout(60)
class OpenAiSdkEmbeddingsCompletionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeUpstream openai;
  private static FakeUpstream azure;
  private static FakeUpstream claude;
  private static FakeUpstream gemini;
  private static TestGateway gateway;
  private static String key;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    openai = new FakeUpstream();
    azure = new FakeUpstream();
    claude = new FakeUpstream();
    claude.reply(ProviderFakes.anthropic("claude"));
    gemini = new FakeUpstream();
    gemini.reply(ProviderFakes.gemini("gemini-flash"));
    for (FakeUpstream upstream : List.of(openai, azure)) {
      upstream.reply((r, response) -> (r.uri().contains("/embeddings") ? ProviderFakes.embeddings()
          : ProviderFakes.completions(upstream == openai ? "gpt-instruct" : "azure-instruct")).accept(r, response));
    }
    gateway = TestGateway.start("""
        providers:
          - { name: openai, type: openai, base_url: "%s/v1", api_key: sk-openai }
          - { name: azure, type: azure, base_url: "%s", api_key: az-key }
          - { name: anthropic, type: anthropic, base_url: "%s", api_key: sk-ant }
          - { name: gemini, type: gemini, base_url: "%s", api_key: gm-key }
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
        models:
          - { name: text-embedding-3-small, targets: [ { provider: openai, model: text-embedding-3-small } ] }
          - { name: azure-embed, targets: [ { provider: azure, model: embed-deployment } ] }
          - { name: gpt-instruct, targets: [ { provider: openai, model: gpt-3.5-turbo-instruct } ] }
          - { name: azure-instruct, targets: [ { provider: azure, model: instruct-deployment } ] }
          - { name: claude, targets: [ { provider: anthropic, model: claude-sonnet-4-5 } ] }
          - { name: gemini-flash, targets: [ { provider: gemini, model: gemini-2.5-flash } ] }
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
        """.formatted(openai.baseUrl(), azure.baseUrl(), claude.baseUrl(), gemini.baseUrl()));
    key = gateway.createKey();
    client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port() + "/v1").apiKey(key)
        .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    for (FakeUpstream f : new FakeUpstream[] {openai, azure, claude, gemini}) {
      if (f != null) {
        f.close();
      }
    }
  }

  @Test
  void embeddingsInTheSdksDefaultBase64() throws Exception {
    CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").inputOfArrayOfStrings(List.of("first", "second")).dimensions(2).build());

    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(1).embedding()).containsExactly(1.5f, 0.25f);
    assertThat(response.usage().promptTokens()).isEqualTo(6);
    JsonNode sent = JSON.readTree(openai.last().text());
    assertThat(openai.last().uri()).isEqualTo("/v1/embeddings");
    assertThat(sent.path("encoding_format").asText()).isEqualTo("base64");
    assertThat(sent.path("dimensions").asInt()).isEqualTo(2);
    assertThat(openai.last().headers().get("authorization")).isEqualTo("Bearer sk-openai");
  }

  @Test
  void embeddingsAsFloatsAndTokenArraysThroughAzure() throws Exception {
    CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("azure-embed").inputOfArrayOfTokenArrays(List.of(List.of(1L, 2L, 3L)))
        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());

    assertThat(response.data().getFirst().embedding()).containsExactly(0.5f, 0.25f);
    assertThat(azure.last().uri()).isEqualTo("/openai/deployments/embed-deployment/embeddings?api-version=2024-10-21");
    assertThat(azure.last().headers().get("api-key")).isEqualTo("az-key");
    assertThat(JSON.readTree(azure.last().text()).path("input")).isEqualTo(JSON.readTree("[[1,2,3]]"));
  }

  @Test
  void embeddingsUsageIsRecorded() {
    String own = gateway.createKey();
    OpenAIClient mine = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
        .apiKey(own).maxRetries(0).build();
    mine.embeddings().create(EmbeddingCreateParams.builder().model("text-embedding-3-small").input("x").build());

    Map<String, Object> record = gateway.awaitRecordsOf(gateway.keyId(own), 1).getFirst();
    assertThat(record.get("prompt_tokens")).isEqualTo(6);
    assertThat(record.get("completion_tokens")).isEqualTo(0);
    assertThat(record.get("status")).isEqualTo(200);
  }

  @Test
  void aProviderWithoutEmbeddingsIsRefusedInOpenAisShape() {
    assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder().model("mock-chat")
        .input("x").build())).isInstanceOf(BadRequestException.class).hasMessageContaining("cannot serve embed");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gpt-instruct", "azure-instruct", "claude", "gemini-flash"})
  void completion(String model) {
    Completion completion = client.completions().create(CompletionCreateParams.builder().model(model)
        .prompt("Say hello").maxTokens(16).build());

    assertThat(completion.choices().getFirst().text()).isEqualTo("Hello from " + model);
    assertThat(completion.choices().getFirst().finishReason().asString()).isEqualTo("stop");
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(20);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(5);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gpt-instruct", "azure-instruct", "claude", "gemini-flash"})
  void streamedCompletion(String model) {
    StringBuilder text = new StringBuilder();
    try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder()
        .model(model).prompt("Say hello").build())) {
      stream.stream().forEach(c -> c.choices().forEach(choice -> text.append(choice.text())));
    }

    assertThat(text.toString()).isEqualTo("Hello from " + model);
  }

  @Test
  void completionFromTheMock() {
    Completion completion = client.completions().create(CompletionCreateParams.builder().model("mock-chat")
        .prompt("ping").build());

    assertThat(completion.choices().getFirst().text()).isEqualTo("Echo: ping");
  }

  @Test
  void promptArraysReachAnOpenAiUpstreamAsSent() throws Exception {
    client.completions().create(CompletionCreateParams.builder().model("gpt-instruct")
        .promptOfArrayOfTokens(List.of(1L, 2L)).build());

    JsonNode sent = JSON.readTree(openai.last().text());
    assertThat(openai.last().uri()).isEqualTo("/v1/completions");
    assertThat(sent.path("prompt")).isEqualTo(JSON.readTree("[1,2]"));
    assertThat(sent.path("model").asText()).isEqualTo("gpt-3.5-turbo-instruct");
  }
}
