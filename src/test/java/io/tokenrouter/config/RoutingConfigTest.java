package io.tokenrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routing section, model mappings and provider keys and connections: defaults and the messages of a bad file. */
class RoutingConfigTest {
  private static final String PROVIDERS = """
      providers:
        - { name: openai-main, type: openai, base_url: https://api.openai.com/v1, api_key: k }
        - { name: deepseek, type: openai, base_url: https://api.deepseek.com/v1, api_keys: [ k1, k2 ] }
      """;

  private static GatewayConfig load(String yaml) {
    return new ConfigLoader(Map.of()).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void defaultsFillWhatTheFileLeavesOut() {
    GatewayConfig c = load(PROVIDERS + "models: [ { name: m, targets: [ { provider: deepseek, model: x } ] } ]");

    RoutingConfig r = c.routing();
    assertThat(r.strategy()).isEqualTo("priority");
    assertThat(r.retry()).isEqualTo(new RoutingConfig.Retry(2, 4, Duration.ofMillis(200), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(60)));
    assertThat(r.breaker()).isEqualTo(new RoutingConfig.Breaker(5, 0.5, 20, Duration.ofSeconds(30),
        Duration.ofSeconds(30), 1));
    assertThat(r.healthCheck().enabled()).isFalse();
    assertThat(r.affinity()).isEqualTo(new RoutingConfig.Affinity(true, Duration.ofHours(1), 100_000));
    assertThat(r.reload()).isEqualTo(new RoutingConfig.Reload(true, Duration.ofSeconds(2)));
    ProviderConfig deepseek = c.providers().get(1);
    assertThat(deepseek.keys()).containsExactly("k1", "k2");
    assertThat(c.providers().getFirst().keys()).containsExactly("k");
    assertThat(deepseek.keepAlive()).isTrue();
    assertThat(deepseek.listModels()).isFalse();
    assertThat(deepseek.timeouts().poolIdle()).isEqualTo(Duration.ofSeconds(60));
    TargetConfig target = c.models().getFirst().targets().getFirst();
    assertThat(target.weight()).isEqualTo(1);
    assertThat(target.priority()).isZero();
  }

  @Test
  void mappingsMayHaveAliasesWildcardsAndTheirOwnStrategy() {
    GatewayConfig c = load(PROVIDERS + """
        models:
          - { name: gpt, aliases: [ gpt-latest ], strategy: Weighted,
              targets: [ { provider: openai-main, model: gpt-4o, weight: 3 }, { provider: deepseek, model: x, priority: 1 } ] }
          - { name: "deepseek/*", targets: [ { provider: deepseek } ] }
        """);

    assertThat(c.models().getFirst().aliases()).containsExactly("gpt-latest");
    assertThat(c.models().getFirst().strategy()).isEqualTo("weighted");
    assertThat(c.models().get(1).targets().getFirst().model()).isNull();
  }

  @Test
  void everyMistakeIsNamedByItsPath() {
    assertThatThrownBy(() -> load("""
        providers:
          - { name: a, type: openai, base_url: http://a, api_key: k, api_keys: [ k2, "" ], timeouts: { pool_idle: 10ms } }
        models:
          - { name: "x/*/*", targets: [ { provider: a } ] }
          - { name: m, aliases: [ "m*", x2 ], strategy: fastest, targets: [ { provider: b, weight: -1 } ] }
          - { name: x2, targets: [ { provider: a, model: "*" } ] }
        routing:
          strategy: round-robin
          retry: { per_target: 0, backoff: 1s, max_backoff: 100ms }
          breaker: { error_rate: 1.5, open_for: 0s }
        """))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems()).asInstanceOf(
            org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
        .containsExactlyInAnyOrderElementsOf(List.of(
            "providers[0].timeouts.pool_idle: must be at least 1s",
            "providers[0]: set api_key or api_keys, not both",
            "providers[0].api_keys[1]: is empty",
            "models[0].name: 'x/*/*' may hold one * at most",
            "models[1].aliases[0]: must be a plain model name",
            "models[1].strategy: 'fastest' is not a strategy; choose one of priority, round_robin, weighted,"
                + " least_latency, least_busy, lowest_cost, availability.",
            "models[1].targets[0].provider: 'b' is not a configured provider. Did you mean 'a'?",
            "models[1].targets[0].model: is required",
            "models[1].targets[0].weight: must be 0 or more",
            "models[2].name: 'x2' is used twice",
            "models[2].targets[0].model: * stands for what a wildcard name matched; 'x2' has none",
            "routing.strategy: 'round-robin' is not a strategy; choose one of priority, round_robin, weighted,"
                + " least_latency, least_busy, lowest_cost, availability. Did you mean 'round_robin'?",
            "routing.retry.per_target: must be at least 1",
            "routing.retry.max_backoff: must be at least routing.retry.backoff",
            "routing.breaker.error_rate: must be above 0 and at most 1",
            "routing.breaker.open_for: must be a positive duration"));
  }
}
