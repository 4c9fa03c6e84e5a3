package io.tokenrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.config.ConfigException;
import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.secrets.SecretBox;
import io.tokenrouter.store.Database;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a gateway refuses to start with in production, and what dev mode gives a developer. */
class GatewayModesTest {
  private static final String PROVIDERS = """
      providers: [ { name: mock, type: mock } ]
      models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
      """;
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  private GatewayConfig config(String yaml) {
    return config(yaml, "");
  }

  /** {@code yaml} on this test's database file and spool, listening on a free port with {@code serverFields}. */
  private GatewayConfig config(String yaml, String serverFields) {
    String full = yaml + "server: { port: 0" + serverFields + " }\nusage: { spool_dir: \"" + dir.resolve("spool")
        + "\" }\n"
        + "database: { url: \"jdbc:h2:file:" + dir.resolve("db") + "\" }\n" + PROVIDERS;
    return new ConfigLoader(Map.of()).load(new ByteArrayInputStream(full.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> get(Gateway g, String path, String token, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void productionWithoutAnAdminTokenDoesNotStart() {
    assertThatThrownBy(() -> Gateway.start(config("mode: production\n"), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("admin.token: production mode needs an admin token"));
  }

  @Test
  void productionWithCorsForEveryOriginDoesNotStart() {
    GatewayConfig c = config("mode: production\nadmin: { token: a-long-enough-random-token }\n",
        ", cors_origins: [\"*\"]");

    assertThatThrownBy(() -> Gateway.start(c, Map.of())).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).singleElement().asString().startsWith("server.cors_origins"));
  }

  @Test
  void productionWithStoredSecretsNeedsTheMasterKey() throws Exception {
    GatewayConfig c = config("mode: production\nadmin: { token: a-long-enough-random-token }\n");
    byte[] masterKey = new byte[32];
    String sealed = new SecretBox(masterKey).seal("[\"sk-stored\"]", "provider:p");
    try (Database db = Database.open(c.database()); Connection conn = db.dataSource().getConnection();
        Statement s = conn.createStatement()) {
      s.execute("INSERT INTO providers (id, name, type, base_url, api_key_encrypted, added) VALUES"
          + " ('00000000-0000-0000-0000-000000000001', 'p', 'openai', 'http://127.0.0.1:9/v1', '" + sealed + "', TRUE)");
    }

    assertThatThrownBy(() -> Gateway.start(c, Map.of())).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.problems()).singleElement().asString().startsWith("TOKENROUTER_MASTER_KEY"));
    try (Gateway g = Gateway.start(c, Map.of("TOKENROUTER_MASTER_KEY",
        Base64.getEncoder().encodeToString(masterKey)))) {
      assertThat(get(g, "/health", null, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aMalformedMasterKeyIsRefusedInAnyMode() {
    assertThatThrownBy(() -> Gateway.start(config("mode: dev\n"), Map.of("TOKENROUTER_MASTER_KEY", "short")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
            .startsWith("TOKENROUTER_MASTER_KEY:"));
  }

  @Test
  void devModeOnTheEmbeddedDatabaseMakesAnOwnerOnlyAdminTokenFile() throws Exception {
    try (Gateway g = Gateway.start(config(""), Map.of())) {
      Path file = dir.resolve("db.admin-token");
      String token = Files.readString(file).trim();

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(get(g, "/admin/info", token, null).statusCode()).isEqualTo(200);
      assertThat(get(g, "/admin/info", null, null).statusCode()).isEqualTo(401);
    }
    try (Gateway again = Gateway.start(config(""), Map.of())) {
      assertThat(get(again, "/admin/info", Files.readString(dir.resolve("db.admin-token")).trim(), null)
          .statusCode()).as("the same token after a restart").isEqualTo(200);
    }
  }

  @Test
  void corsAllowsTheConfiguredOriginsOnly() throws Exception {
    GatewayConfig c = config("admin: { token: a-long-enough-random-token }\n",
        ", cors_origins: [\"https://console.example.com\"]");
    try (Gateway g = Gateway.start(c, Map.of())) {
      HttpResponse<String> allowed = get(g, "/admin/info", "a-long-enough-random-token", "https://console.example.com");
      HttpResponse<String> other = get(g, "/admin/info", "a-long-enough-random-token", "https://evil.example.com");
      HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + g.port() + "/v1/chat/completions"))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://console.example.com")
          .header("Access-Control-Request-Method", "POST")
          .header("Access-Control-Request-Headers", "authorization,content-type").build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(allowed.headers().firstValue("access-control-allow-origin")).contains("https://console.example.com");
      assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
      assertThat(preflight.statusCode()).isBetween(200, 204);
      assertThat(preflight.headers().firstValue("access-control-allow-origin"))
          .contains("https://console.example.com");
    }
  }
}
