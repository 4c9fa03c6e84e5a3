package io.tokenrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private static final String MINIMAL = """
      providers:
        - { name: openai-main, type: openai, base_url: https://api.openai.com/v1, api_key: ${OPENAI_API_KEY} }
      models:
        - name: gpt-4o-mini
          targets: [ { provider: openai-main, model: gpt-4o-mini } ]
      """;

  private static GatewayConfig load(String yaml, Map<String, String> env) {
    return new ConfigLoader(env).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void secretsComeFromTheEnvironment() {
    GatewayConfig c = load(MINIMAL, Map.of("OPENAI_API_KEY", "sk-123"));

    assertThat(c.providers().getFirst().apiKey()).isEqualTo("sk-123");
  }

  @Test
  void missingVariableIsAnErrorNamingTheField() {
    assertThatThrownBy(() -> load(MINIMAL, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("providers[0].api_key: environment variable OPENAI_API_KEY is not set");
  }

  @Test
  void variableWithADefaultMayBeUnset() {
    GatewayConfig c = load(MINIMAL.replace("${OPENAI_API_KEY}", "${OPENAI_API_KEY:-}"), Map.of());

    assertThat(c.providers().getFirst().apiKey()).isEmpty();
  }

  @Test
  void environmentOverridesFileValuesIncludingUnderscoredKeys() {
    GatewayConfig c = load("server: { port: 8080 }\n" + MINIMAL, Map.of("OPENAI_API_KEY", "k",
        "TOKENROUTER_SERVER_PORT", "9090", "TOKENROUTER_SERVER_MAX_BODY_BYTES", "4096",
        "TOKENROUTER_DATABASE_URL", "jdbc:postgresql://db/tr", "TOKENROUTER_USAGE_FLUSH_INTERVAL", "1s"));

    assertThat(c.server().port()).isEqualTo(9090);
    assertThat(c.server().maxBodyBytes()).isEqualTo(4096);
    assertThat(c.database().url()).isEqualTo("jdbc:postgresql://db/tr");
    assertThat(c.usage().flushInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void defaultsFillWhatTheFileLeavesOut() {
    GatewayConfig c = load(MINIMAL, Map.of("OPENAI_API_KEY", "k"));

    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.server().maxBodyBytes()).isEqualTo(10_485_760);
    assertThat(c.database().url()).isEqualTo("jdbc:h2:file:./data/tokenrouter");
    assertThat(c.providers().getFirst().timeouts().connect()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void defaultsLeaveRoomForTenThousandOpenStreams() {
    GatewayConfig c = load(MINIMAL, Map.of("OPENAI_API_KEY", "k"));

    // a stream holds one upstream connection and one record slot until it ends
    assertThat(c.providers().getFirst().maxConnections()).isGreaterThanOrEqualTo(10_000);
    assertThat(c.usage().queueCapacity()).isGreaterThan(10_000);
  }

  @Test
  void clientTimeoutsAndHeadLimitsHaveDefaultsAndOverrides() {
    GatewayConfig defaults = load(MINIMAL, Map.of("OPENAI_API_KEY", "k"));
    GatewayConfig set = load("server: { header_timeout: 2s, max_header_bytes: 32768 }\n" + MINIMAL,
        Map.of("OPENAI_API_KEY", "k", "TOKENROUTER_SERVER_IDLE_TIMEOUT", "5m"));

    assertThat(defaults.server().headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.server().bodyTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.server().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.server().maxRequestLineBytes()).isEqualTo(4096);
    assertThat(defaults.server().maxHeaderBytes()).isEqualTo(16384);
    assertThat(set.server().headerTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(set.server().idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(set.server().maxHeaderBytes()).isEqualTo(32768);
  }

  @Test
  void zeroClientTimeoutIsAnErrorNamingIt() {
    assertThatThrownBy(() -> load("server: { body_timeout: 0s }\n" + MINIMAL, Map.of("OPENAI_API_KEY", "k")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.body_timeout: must be a positive duration");
  }

  @Test
  void everyDatabaseCallAndKeyLookupHasADeadlineByDefault() {
    GatewayConfig c = load(MINIMAL, Map.of("OPENAI_API_KEY", "k"));

    assertThat(c.database().connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.database().socketTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.database().statementTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.auth().staleFor()).isEqualTo(Duration.ofHours(1));
    assertThat(c.auth().lookupTimeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aSocketTimeoutNotLongerThanTheStatementTimeoutIsAnError() {
    String yaml = "database: { socket_timeout: 5s, statement_timeout: 5s }\n" + MINIMAL;

    assertThatThrownBy(() -> load(yaml, Map.of("OPENAI_API_KEY", "k"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("database.socket_timeout: must be longer than database.statement_timeout");
  }

  @Test
  void wrongTypeIsAnErrorNamingTheField() {
    assertThatThrownBy(() -> load("server: { port: eighty }\n" + MINIMAL, Map.of("OPENAI_API_KEY", "k")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.port");
  }

  @Test
  void badDurationIsAnErrorNamingTheField() {
    String yaml = MINIMAL.replace("api_key: ${OPENAI_API_KEY} }", "api_key: k, timeouts: { idle: soon } }");
    assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("providers[0].timeouts.idle");
  }

  @Test
  void unknownFieldIsAnErrorNamingIt() {
    assertThatThrownBy(() -> load("server: { prot: 1 }\n" + MINIMAL, Map.of("OPENAI_API_KEY", "k")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.prot");
  }

  @Test
  void targetNamingAnUnknownProviderIsAnError() {
    String yaml = MINIMAL.replace("provider: openai-main", "provider: nobody");
    assertThatThrownBy(() -> load(yaml, Map.of("OPENAI_API_KEY", "k"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("models[0].targets[0].provider: 'nobody' is not a configured provider");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String yaml = """
        server: { port: 70000 }
        providers: [ { name: p, type: openai, base_url: "ftp://x" } ]
        models: [ { name: m } ]
        """;
    assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOfSatisfying(ConfigException.class, e ->
        assertThat(e.problems()).anyMatch(p -> p.startsWith("server.port"))
            .anyMatch(p -> p.startsWith("providers[0].base_url")).anyMatch(p -> p.startsWith("models[0].targets")));
  }

  @Test
  void theShippedExampleFileLoads() {
    GatewayConfig c = new ConfigLoader(Map.of("OPENAI_API_KEY", "a", "ANTHROPIC_API_KEY", "b", "DEEPSEEK_API_KEY", "c"))
        .load(Path.of("config/tokenrouter.example.yaml"));

    assertThat(c.providers()).isNotEmpty();
    assertThat(c.models()).isNotEmpty();
  }

  @Test
  void theContainerConfigurationIsProductionSafeWithATokenFromTheEnvironment() {
    GatewayConfig c = new ConfigLoader(Map.of("TOKENROUTER_ADMIN_TOKEN", "3q2+7w2+7w2+7w2+7w2+7w2+7w2+7w==",
        "TOKENROUTER_DATABASE_PASSWORD", "pw")).load(Path.of("deploy/tokenrouter.yaml"));

    assertThat(c.mode()).isEqualTo(Mode.PRODUCTION);
    assertThat(c.usage().spoolDir()).isEqualTo("/var/lib/tokenrouter/spool");
    assertThat(ProductionSafety.problems(c, false, false)).isEmpty();
  }

  @Test
  void theDemoConfigurationLoads() {
    GatewayConfig c = new ConfigLoader(Map.of()).loadDemo();

    assertThat(c.providers().getFirst().type()).isEqualTo("mock");
  }

  @Test
  void namespaceWithTwoMatchersIsAnErrorNamingIt() {
    String yaml = MINIMAL + """
        namespaces:
          - { name: a, match: { project: x, path: /v1/ }, policy: { rpm: 0 } }
        """;
    assertThatThrownBy(() -> load(yaml, Map.of("OPENAI_API_KEY", "k"))).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).contains("namespaces[0].match: needs exactly one of key, project, header, path",
            "namespaces[0].policy.rpm: must be at least 1"));
  }

  @Test
  void passwordIsMaskedInTheDatabaseUrl() {
    assertThat(new DatabaseConfig("jdbc:postgresql://db:5432/tr?user=u&password=hunter2", null, null, null).maskedUrl())
        .isEqualTo("jdbc:postgresql://db:5432/tr?user=u&password=****");
  }

  @Test
  void mistypedSettingIsNamedWithTheClosestValidOne() {
    String yaml = MINIMAL.replace("base_url:", "base_ur:");

    assertThatThrownBy(() -> load(yaml, Map.of("OPENAI_API_KEY", "k"))).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("providers[0].base_ur: unknown setting 'base_ur'. Did you mean 'base_url'?")
            .contains("Valid here: api_key, api_keys, api_version, base_url, enabled, headers, keep_alive, list_models,"
                + " max_connections, max_retries, mock, name, responses,"
                + " timeouts, type.")
            .doesNotContain("class", "io.tokenrouter"));
  }

  @Test
  void wrongValueTypeIsDescribedWithoutJavaTypeNames() {
    assertThatThrownBy(() -> load("server: { port: eighty }\n" + MINIMAL, Map.of("OPENAI_API_KEY", "k")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly("server.port: 'eighty' is not a whole number."));
  }

  @Test
  void environmentVariableThatNamesNoSettingIsReported() {
    assertThatThrownBy(() -> load(MINIMAL, Map.of("OPENAI_API_KEY", "k", "TOKENROUTER_SERVER_PROT", "9090")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("TOKENROUTER_SERVER_PROT: this environment variable names no setting."
                + " Did you mean 'TOKENROUTER_SERVER_PORT'?"));
  }

  @Test
  void variablesReadElsewhereOrReferencedByTheFileAreNotOverrides() {
    GatewayConfig c = load(MINIMAL.replace("${OPENAI_API_KEY}", "${TOKENROUTER_OPENAI_KEY}"), Map.of(
        "TOKENROUTER_OPENAI_KEY", "k", "TOKENROUTER_LOG_LEVEL", "DEBUG", "TOKENROUTER_MASTER_KEY", "x",
        "TOKENROUTER_SERVICE_HOST", "10.0.0.1", "TOKENROUTER_PORT_8080_TCP", "tcp://10.0.0.1:8080"));

    assertThat(c.providers().getFirst().apiKey()).isEqualTo("k");
  }

  @Test
  void wrongOverrideValueNamesTheVariable() {
    assertThatThrownBy(() -> load(MINIMAL, Map.of("OPENAI_API_KEY", "k", "TOKENROUTER_SERVER_PORT", "http")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "server.port: 'http' is not a whole number. (set by environment variable TOKENROUTER_SERVER_PORT)"));
  }

  @Test
  void overrideOutOfRangeNamesTheVariable() {
    assertThatThrownBy(() -> load(MINIMAL, Map.of("OPENAI_API_KEY", "k", "TOKENROUTER_SERVER_PORT", "70000")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "server.port: must be between 0 and 65535, was 70000"
                + " (set by environment variable TOKENROUTER_SERVER_PORT)"));
  }

  @Test
  void listSettingsAreOverriddenCommaSeparated() {
    GatewayConfig c = load(MINIMAL, Map.of("OPENAI_API_KEY", "k",
        "TOKENROUTER_SERVER_CORS_ORIGINS", "https://a.example.com, https://b.example.com", "TOKENROUTER_MODE", "dev"));

    assertThat(c.server().corsOrigins()).containsExactly("https://a.example.com", "https://b.example.com");
  }

  @Test
  void providerSecretsMayBeUnsetForCommandsThatCallNoProvider() {
    GatewayConfig c = new ConfigLoader(Map.of()).withoutProviderSecrets()
        .load(new ByteArrayInputStream(MINIMAL.getBytes(StandardCharsets.UTF_8)));

    assertThat(c.providers().getFirst().apiKey()).isEmpty();
  }

  @Test
  void modeIsDevOnTheEmbeddedDatabaseAndProductionOnPostgresUnlessSet() {
    assertThat(load(MINIMAL, Map.of("OPENAI_API_KEY", "k")).mode()).isEqualTo(Mode.DEV);
    assertThat(load("database: { url: \"jdbc:postgresql://db/tr\" }\n" + MINIMAL, Map.of("OPENAI_API_KEY", "k"))
        .mode()).isEqualTo(Mode.PRODUCTION);
    assertThat(load("mode: production\n" + MINIMAL, Map.of("OPENAI_API_KEY", "k")).mode()).isEqualTo(Mode.PRODUCTION);
  }

  @Test
  void corsOriginWithAPathIsRefused() {
    assertThatThrownBy(() -> load("server: { cors_origins: [ \"https://a.example.com/app\" ] }\n" + MINIMAL,
        Map.of("OPENAI_API_KEY", "k"))).isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).singleElement().asString()
                .startsWith("server.cors_origins[0]: an origin is"));
  }

  @Test
  void missingFileIsNamedWithItsAbsolutePath() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(Path.of("no-such-dir/tokenrouter.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(Path.of("no-such-dir/tokenrouter.yaml").toAbsolutePath() + ": no such file");
  }
}
