package io.tokenrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {
  private static GatewayConfig load(String yaml) {
    return new ConfigLoader(Map.of()).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static final String MODEL = """
      providers: [ { name: p, type: mock } ]
      models: [ { name: m, targets: [ { provider: p, model: m } ], pipeline: { off: [ arranger ] } } ]
      """;

  @Test
  void withoutASectionEveryStageIsOnWithItsDefaults() {
    PipelineConfig pipeline = load("providers: [ { name: p, type: mock } ]\n").pipeline();

    assertThat(pipeline.enabled()).isTrue();
    assertThat(pipeline.off()).isEmpty();
    assertThat(pipeline.header()).isTrue();
    assertThat(pipeline.historyBudgetTokens()).isNull();
    assertThat(pipeline.cacheKeyProviders()).isNull();
    assertThat(pipeline.cacheKeySpread()).isEqualTo(1);
    assertThat(pipeline.dedup().maxWait()).isEqualTo(Duration.ofSeconds(60));
    assertThat(pipeline.dedup().shareSampled()).isFalse();
  }

  @Test
  void theExampleConfigurationShowsTheDefaults() {
    GatewayConfig example = new ConfigLoader(Map.of("OPENAI_API_KEY", "x", "ANTHROPIC_API_KEY", "y",
        "DEEPSEEK_API_KEY", "z")).load(Path.of("config/tokenrouter.example.yaml"));

    assertThat(example.pipeline()).isEqualTo(load("pipeline: { min_cache_tokens: {} }\n").pipeline());
  }

  @Test
  void aModelMappingCarriesItsOwnSettings() {
    assertThat(load(MODEL).models().getFirst().pipeline().off()).containsExactly("arranger");
  }

  @Test
  void unknownStagesAndBadValuesAreNamedByTheirPath() {
    assertThatThrownBy(() -> load(MODEL.replace("arranger", "arrange") + """
        pipeline:
          off: [ dedupe ]
          history_budget_tokens: 0
          cache_key_spread: 0
          cache_key_providers: [ nobody ]
          min_cache_tokens: { "claude-*": 0 }
          dedup: { max_wait: 0s }
        """)).isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).problems())
        .anySatisfy(p -> assertThat(p).startsWith("pipeline.off: 'dedupe' is not a pipeline stage; choose from"))
        .anySatisfy(p -> assertThat(p).startsWith("models[0].pipeline.off: 'arrange' is not a pipeline stage"))
        .contains("pipeline.history_budget_tokens: must be at least 1 (leave it out to keep every turn)",
            "pipeline.cache_key_spread: must be at least 1",
            "pipeline.cache_key_providers: 'nobody' is not a configured provider",
            "pipeline.min_cache_tokens.claude-*: must be at least 1", "pipeline.dedup.max_wait: must be a positive duration"));
  }
}
