package io.tokenrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line manages keys, users and usage while a gateway serves the embedded database:
 * the gateway runs in a process of its own (as {@code tokenrouter serve} does), holding the H2
 * file, and the commands go through its admin API with the dev token it keeps next to the file.
 */
class CliAgainstRunningGatewayTest {
  private static final String HELLO = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  @TempDir
  static Path dir;
  private static Process gateway;
  private static int port;
  private static Path config;
  private static final HttpClient http = HttpClient.newHttpClient();

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void startGateway() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    config = write("tokenrouter.yaml", """
        server: { port: %d }
        database: { url: "jdbc:h2:file:%s/db" }
        usage: { spool_dir: "%s/spool", flush_interval: 20ms }
        providers:
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
          - { name: openai, type: openai, base_url: "https://api.openai.com/v1", api_key: "${UNSET_TEST_KEY_4711}" }
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """.formatted(port, dir, dir).replace("${UNSET_TEST_KEY_4711}", "${UNSET_TEST_KEY_4711:-}"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    gateway = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "serve", "--config", config.toString())
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        if (!gateway.isAlive()) {
          break;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the gateway did not start: " + Files.readString(dir.resolve("gateway.log")));
  }

  @AfterAll
  static void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.destroy();
      if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
        gateway.destroyForcibly();
      }
    }
  }

  private static Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String field(Run r, String name) {
    return r.out().lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow(() ->
        new AssertionError("no " + name + " in " + r)).substring(name.length() + 1).trim();
  }

  private static int chat(String key) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(HELLO)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void keysAreCreatedAndRevokedWhileTheGatewayServesTheEmbeddedDatabase() throws Exception {
    Run created = run("keys", "create", "--name", "while-serving", "--config", config.toString());

    assertThat(created.exit()).as(created.toString()).isZero();
    assertThat(created.err()).contains("created through the gateway at http://127.0.0.1:" + port);
    String key = field(created, "key");
    assertThat(chat(key)).isEqualTo(200);

    Run revoked = run("keys", "revoke", field(created, "id"), "--config", config.toString());

    assertThat(revoked.exit()).as(revoked.toString()).isZero();
    assertThat(revoked.out()).contains("announced: running gateways apply it now");
    assertThat(chat(key)).as("refused at once").isEqualTo(401);
    assertThat(run("keys", "list", "--config", config.toString()).out().lines()
        .filter(l -> l.contains(field(created, "id")))).singleElement().asString().contains("revoked");
  }

  @Test
  void aProviderIsDisabledAndEnabledWhileTheGatewayServes() throws Exception {
    String key = field(run("keys", "create", "--name", "provider-switch", "--config", config.toString()), "key");
    try {
      Run disabled = run("providers", "disable", "mock", "--config", config.toString());

      assertThat(disabled.exit()).as(disabled.toString()).isZero();
      assertThat(disabled.out()).contains("updated mock (disabled) through the gateway at http://127.0.0.1:" + port);
      assertThat(chat(key)).as("its only provider is off").isEqualTo(503);
      assertThat(run("providers", "list", "--config", config.toString()).out().lines()
          .filter(l -> l.startsWith("mock "))).singleElement().asString().contains("disabled");
    } finally {
      Run enabled = run("providers", "enable", "mock", "--config", config.toString());
      assertThat(enabled.exit()).as(enabled.toString()).isZero();
    }
    assertThat(chat(key)).isEqualTo(200);
  }

  @Test
  void aProviderChangeWithNothingToChangeIsRefused() {
    Run r = run("providers", "update", "mock", "--config", config.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: Nothing to change: give at least one option");
  }

  @Test
  void usageAndCostPerKeyAreShown() throws Exception {
    Run created = run("keys", "create", "--name", "metered", "--config", config.toString());
    String key = field(created, "key");
    for (int i = 0; i < 2; i++) {
      assertThat(chat(key)).isEqualTo(200);
    }

    String line = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (line == null && System.nanoTime() < deadline) {
      line = run("usage", "--config", config.toString()).out().lines()
          .filter(l -> l.startsWith("metered " + field(created, "id")) && l.contains("  2  ")).findFirst().orElse(null);
      Thread.sleep(100);
    }
    assertThat(line).as("a usage row with 2 requests").isNotNull();
    Run header = run("usage", "--config", config.toString());
    assertThat(header.out()).contains("KEY", "REQUESTS", "TOKENS", "COST_USD", "CACHE_HIT", "SAVED_USD", "TOTAL");
  }

  @Test
  void aDuplicateEmailIsExplained() {
    run("users", "create", "--email", "twice@example.com", "--config", config.toString());

    Run again = run("users", "create", "--email", "twice@example.com", "--config", config.toString());

    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).startsWith("error: A user with the email twice@example.com already exists (id ");
  }

  @Test
  void aLockedDatabaseAndAnUnusableGatewayAreBothNamed() throws Exception {
    try (ServerSocket closed = new ServerSocket(0)) {
      int nobody = closed.getLocalPort();
      closed.close();
      Path elsewhere = write("elsewhere.yaml", Files.readString(config).replace("port: " + port, "port: " + nobody));

      Run r = run("keys", "list", "--config", elsewhere.toString());

      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).contains("error: The database file " + dir.resolve("db.mv.db")
          + " is in use by another process (a running gateway holds it", ", and nothing listens at http://127.0.0.1:"
          + nobody + " (if the gateway runs elsewhere, pass --url http://HOST:PORT)")
          .doesNotContain("invalid configuration");
    }
  }

  @Test
  void aWrongAdminTokenIsNamed() throws Exception {
    Path wrong = write("wrong-token.yaml", Files.readString(config).replace("server:",
        "admin: { token: not-the-gateways-token }\nserver:"));

    Run r = run("keys", "list", "--config", wrong.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("is in use by another process", "the gateway at http://127.0.0.1:" + port
        + " refused the admin token from admin.token");
  }

  @Test
  void anExplicitUrlWhereNothingListensIsNamed() throws Exception {
    try (ServerSocket closed = new ServerSocket(0)) {
      int nobody = closed.getLocalPort();
      closed.close();

      Run r = run("keys", "list", "--url", "http://127.0.0.1:" + nobody, "--config", config.toString());

      assertThat(r.err()).contains("error: Nothing listens at http://127.0.0.1:" + nobody);
    }
  }
}
