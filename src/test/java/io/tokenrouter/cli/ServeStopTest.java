package io.tokenrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenrouter serve} stopped by SIGTERM while it is still starting (an orchestrator that
 * scales down as soon as it scaled up) finishes the start, then stops the way it always does:
 * usage records drained, the stop logged, no "Shutdown in progress" error.
 */
class ServeStopTest {
  @TempDir
  Path dir;

  @Test
  void aSigtermDuringStartStopsTheGatewayCleanlyOnceItHasStarted() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("tokenrouter.yaml");
    Files.writeString(config, """
        server: { port: %d }
        database: { url: "jdbc:h2:file:%s/db" }
        usage: { spool_dir: "%s/spool" }
        providers: [ { name: mock, type: mock } ]
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """.formatted(port, dir, dir));
    Path log = dir.resolve("gateway.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process gateway = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "serve", "--config", config.toString())
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      awaitFirstLine(log, gateway);
      gateway.destroy();

      assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
      String printed = Files.readString(log);
      assertThat(printed).contains("TokenRouter listening on").contains("TokenRouter stopped")
          .doesNotContain("Shutdown in progress");
    } finally {
      gateway.destroyForcibly();
    }
  }

  /** The first log line comes while the start is under way, well before the port opens. */
  private static void awaitFirstLine(Path log, Process gateway) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && gateway.isAlive()) {
      if (Files.exists(log) && Files.readString(log).contains("\n")) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the gateway printed nothing: " + (Files.exists(log) ? Files.readString(log) : ""));
  }
}
