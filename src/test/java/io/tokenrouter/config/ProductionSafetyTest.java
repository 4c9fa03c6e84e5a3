package io.tokenrouter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductionSafetyTest {
  private static GatewayConfig config(String yaml) {
    return new ConfigLoader(Map.of()).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void devModeAllowsEverything() {
    GatewayConfig dev = config("mode: dev\nserver: { cors_origins: [\"*\"] }\n");

    assertThat(ProductionSafety.problems(dev, true, false)).isEmpty();
  }

  @Test
  void productionNeedsAnAdminToken() {
    assertThat(ProductionSafety.problems(config("mode: production\n"), false, false)).singleElement().asString()
        .startsWith("admin.token: production mode needs an admin token");
  }

  @Test
  void productionRefusesPlaceholderAndShortTokens() {
    assertThat(ProductionSafety.problems(config("mode: production\nadmin: { token: admin-secret-token }\n"), false,
        false)).singleElement().asString().startsWith("admin.token: a placeholder");
    assertThat(ProductionSafety.problems(config("mode: production\nadmin: { token: abc123 }\n"), false, false))
        .singleElement().asString().startsWith("admin.token: a placeholder or a token shorter than 16");
  }

  @Test
  void productionRefusesCorsForEveryOrigin() {
    GatewayConfig c = config("mode: production\nadmin: { token: a-long-enough-random-token }\n"
        + "server: { cors_origins: [\"*\"] }\n");

    assertThat(ProductionSafety.problems(c, false, false)).singleElement().asString()
        .startsWith("server.cors_origins: '*' lets every web page call the gateway");
  }

  @Test
  void productionNeedsTheMasterKeyOnlyWhenSecretsAreStored() {
    GatewayConfig c = config("mode: production\nadmin: { token: a-long-enough-random-token }\n"
        + "server: { cors_origins: [\"https://console.example.com\"] }\n");

    assertThat(ProductionSafety.problems(c, false, false)).isEmpty();
    assertThat(ProductionSafety.problems(c, true, true)).isEmpty();
    assertThat(ProductionSafety.problems(c, true, false)).singleElement().asString()
        .startsWith("TOKENROUTER_MASTER_KEY: the database holds encrypted provider secrets");
  }

  @Test
  void theProblemSaysProductionIsTheDefaultOnPostgres() {
    GatewayConfig c = config("database: { url: \"jdbc:postgresql://db/tr\" }\n");

    assertThat(ProductionSafety.problems(c, false, false)).singleElement().asString()
        .contains("mode is production, the default with PostgreSQL; set mode: dev on a developer's machine");
  }
}
