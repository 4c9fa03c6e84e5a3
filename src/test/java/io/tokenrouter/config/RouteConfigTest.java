package io.tokenrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Custom routes, the Responses API's settings and the providers' new settings, as configured. */
class RouteConfigTest {
  private static final String PROVIDERS = """
      providers:
        - { name: openai, type: openai, base_url: "https://api.openai.com/v1", api_key: k, responses: native }
        - { name: az, type: azure, base_url: "https://x.openai.azure.com", api_key: k, api_version: 2025-01-01 }
      models:
        - { name: gpt, targets: [ { provider: openai, model: gpt-4o } ] }
      """;

  private static GatewayConfig load(String yaml) {
    return new ConfigLoader(Map.of()).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void routesProvidersAndRetentionAreRead() {
    GatewayConfig config = load(PROVIDERS + """
        routes:
          - { name: tts, path: /v1/audio/speech, provider: openai }
        responses: { retention: 7d }
        """);

    RouteConfig route = config.routes().getFirst();
    assertThat(route.kind()).isEqualTo(RouteConfig.BINARY);
    assertThat(route.upstreamPath()).isEqualTo("/v1/audio/speech");
    assertThat(config.responses().retention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.providers().get(0).nativeResponses()).isTrue();
    assertThat(config.providers().get(1).nativeResponses()).isFalse();
    assertThat(config.providers().get(1).apiVersion()).isEqualTo("2025-01-01");
  }

  @Test
  void badRoutesAreReportedByTheirPath() {
    assertThatThrownBy(() -> load(PROVIDERS + """
        routes:
          - { name: gpt, path: v1/x/, provider: nobody, kind: audio }
          - { name: a, path: /same, provider: openai }
          - { name: a, path: /same, provider: openai }
        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.startsWith("routes[0].name: 'gpt' is already the name of a model"))
            .anyMatch(p -> p.startsWith("routes[0].path:"))
            .anyMatch(p -> p.startsWith("routes[0].provider: 'nobody'"))
            .anyMatch(p -> p.startsWith("routes[0].kind: must be sse, json or binary"))
            .anyMatch(p -> p.startsWith("routes[2].name:"))
            .anyMatch(p -> p.startsWith("routes[2].path: '/same' is routed twice")));
  }

  @Test
  void anUnknownResponsesModeIsReported() {
    assertThatThrownBy(() -> load(PROVIDERS.replace("responses: native", "responses: relay")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.startsWith("providers[0].responses: must be native or translate")));
  }
}
