package io.tokenrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.ScriptedUpstream;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Model names: mappings, aliases, wildcards, and what providers list themselves, in routing and in /v1/models. */
@Timeout(30)
class ModelMappingTest {
  private final ScriptedUpstream openai = new ScriptedUpstream("openai");
  private final ScriptedUpstream deepseek = new ScriptedUpstream("deepseek");
  private final ScriptedUpstream local = new ScriptedUpstream("local");
  private TestGateway gateway;
  private String key;

  @BeforeEach
  void start() {
    deepseek.models(List.of("deepseek-reasoner", "deepseek-chat"));
    local.models(List.of("qwen3", "llama-4", "gpt-4o"));
    gateway = TestGateway.start("""
        providers:
          - { name: openai, type: openai, base_url: "%s" }
          - { name: deepseek, type: openai, base_url: "%s", list_models: true }
          - { name: local, type: openai, base_url: "%s", list_models: true }
        models:
          - { name: gpt-4o, aliases: [ gpt4o, omni ], targets: [ { provider: openai, model: gpt-4o-2024-08-06 } ] }
          - { name: "deepseek/*", targets: [ { provider: deepseek } ] }
          - { name: "fast-*", targets: [ { provider: openai, model: "*-mini" } ] }
          - { name: "fast-special-*", targets: [ { provider: deepseek, model: "special-*" } ] }
          - { name: fast-exact, targets: [ { provider: local, model: exact } ] }
        routing: { model_list_refresh: 300ms }
        """.formatted(openai.openAiUrl(), deepseek.openAiUrl(), local.openAiUrl()));
    key = gateway.createKey();
  }

  @AfterEach
  void stop() {
    gateway.close();
    openai.close();
    deepseek.close();
    local.close();
  }

  /** Asks for {@code model}; returns which upstream answered and the model name it was sent. */
  private String upstreamModel(String model) {
    List<ScriptedUpstream> upstreams = List.of(openai, deepseek, local);
    upstreams.forEach(ScriptedUpstream::reset);
    HttpResponse<String> response = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return upstreams.stream().filter(u -> !u.received().isEmpty())
        .map(u -> u.name() + ":" + u.received().getLast().body().getString("model"))
        .findFirst().orElseThrow();
  }

  private List<String> offered() {
    JsonArray data = new JsonObject(gateway.get("/v1/models", key).body()).getJsonArray("data");
    return IntStream.range(0, data.size()).mapToObj(i -> data.getJsonObject(i).getString("id")).toList();
  }

  @Test
  void aliasesReachTheSameTargets() {
    assertThat(upstreamModel("gpt4o")).isEqualTo("openai:gpt-4o-2024-08-06");
    assertThat(upstreamModel("omni")).isEqualTo("openai:gpt-4o-2024-08-06");
  }

  @Test
  void aWildcardSendsWhatItMatchedToItsProvider() {
    assertThat(upstreamModel("deepseek/deepseek-chat")).isEqualTo("deepseek:deepseek-chat");
    assertThat(upstreamModel("fast-gpt-4.1")).isEqualTo("openai:gpt-4.1-mini");
  }

  @Test
  void theMostSpecificNameWins() {
    assertThat(upstreamModel("fast-exact")).isEqualTo("local:exact");
    assertThat(upstreamModel("fast-special-one")).isEqualTo("deepseek:special-one");
  }

  @Test
  void aListedModelNoMappingClaimsIsRoutedToTheProviderThatListedIt() {
    assertThat(upstreamModel("qwen3")).isEqualTo("local:qwen3");
    // a mapping keeps its own name: local's gpt-4o is not reached as gpt-4o
    assertThat(upstreamModel("gpt-4o")).isEqualTo("openai:gpt-4o-2024-08-06");
  }

  @Test
  void theModelListHoldsMappedNamesAliasesAndProviderListsSortedWithoutDuplicates() {
    assertThat(offered()).containsExactly("deepseek/deepseek-chat", "deepseek/deepseek-reasoner", "fast-exact",
        "gpt-4o", "gpt4o", "llama-4", "omni", "qwen3");
  }

  @Test
  void providerListsAreRefreshedInTheBackground() throws Exception {
    local.models(List.of("qwen3", "mistral-large"));

    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!offered().contains("mistral-large") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    assertThat(offered()).contains("mistral-large").doesNotContain("llama-4");
    assertThat(upstreamModel("mistral-large")).isEqualTo("local:mistral-large");
  }

  @Test
  void anUnknownNameIsStillA404() {
    assertThat(gateway.post("/v1/chat/completions", key,
        "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(404);
  }

  @Test
  void metricsNameAWildcardByItsPatternNotByWhatTheClientSent() {
    upstreamModel("deepseek/deepseek-chat");

    String metrics = gateway.get("/metrics", null).body();

    assertThat(metrics).contains("model=\"deepseek/*\"").doesNotContain("model=\"deepseek/deepseek-chat\"");
  }
}
