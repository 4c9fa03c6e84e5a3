package io.tokenrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.config.DatabaseConfig;
import io.tokenrouter.store.Database;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tokenrouter serve} stopped by SIGTERM at any moment of its start (an orchestrator that
 * scales down as soon as it scaled up) stops cleanly: once ready, the usage records are drained
 * and the stop is logged; before, it says it stopped before it was ready. Never an error.
 */
class ServeStopTest {
  private static final HttpClient http = HttpClient.newHttpClient();
  @TempDir
  Path dir;
  private int port;
  private Path log;
  private Process gateway;

  @BeforeEach
  void start() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("tokenrouter.yaml");
    Files.writeString(config, """
        server: { port: %d }
        database: { url: "jdbc:h2:file:%s/db" }
        usage: { spool_dir: "%s/spool", flush_interval: 5s }
        providers: [ { name: mock, type: mock } ]
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """.formatted(port, dir, dir));
    log = dir.resolve("gateway.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder serve = new ProcessBuilder(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--config", config.toString())
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    serve.environment().put("TOKENROUTER_LOG_LEVEL", "INFO"); // the start and stop lines are INFO
    gateway = serve.start();
  }

  @AfterEach
  void stop() {
    gateway.destroyForcibly();
  }

  @Test
  void aSigtermAsSoonAsItIsReadyDrainsAndLogsTheStop() throws Exception {
    await(this::ready);
    gateway.destroy();

    assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
    assertThat(Files.readString(log)).contains("TokenRouter stopping: draining usage records")
        .contains("TokenRouter stopped").doesNotContain("error:");
  }

  @Test
  void aSigtermWritesTheQueuedUsageRecordsToTheDatabaseBeforeExit() throws Exception {
    gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    StringWriter created = new StringWriter();
    CommandLine cli = Main.commandLine().setOut(new PrintWriter(created, true));
    assertThat(cli.execute("keys", "create", "--name", "k", "--config", dir.resolve("tokenrouter.yaml").toString()))
        .isZero();
    String key = created.toString().lines().filter(l -> l.startsWith("key:")).findFirst().orElseThrow()
        .substring(4).trim();
    start();
    await(this::ready);
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

    gateway.destroy(); // within the 5 s flush interval: its record is still queued

    assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
    try (Database db = Database.open(new DatabaseConfig("jdbc:h2:file:" + dir + "/db", null, null, 1));
        Connection c = db.dataSource().getConnection();
        ResultSet rows = c.createStatement().executeQuery("SELECT COUNT(*) FROM requests")) {
      rows.next();
      assertThat(rows.getInt(1)).as("the record, written by the drain; " + printed()).isEqualTo(1);
    }
    Path spool = dir.resolve("spool").resolve("usage.spool");
    assertThat(Files.exists(spool) ? Files.size(spool) : 0).as("nothing left waiting in the spool").isZero();
  }

  @Test
  void aSigtermWhileItIsStartingStopsItWithoutAnError() throws Exception {
    await(() -> printed().contains("admin API enabled"));
    gateway.destroy();

    assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
    assertThat(printed()).containsAnyOf("TokenRouter stopped before it was ready", "TokenRouter stopped")
        .doesNotContain("error:");
  }

  private boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String printed() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && gateway.isAlive()) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(2);
    }
    throw new AssertionError("the gateway did not get there: " + printed());
  }
}
