package io.tokenrouter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.CuttableTcpProxy;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real gateway on PostgreSQL reached through a proxy the test cuts mid-traffic: requests
 * with a cached key keep being served, readiness reports the outage, and once the connection
 * is restored every request's usage record arrives, none twice.
 */
class DatabaseOutageTest {
  private static final String BODY = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void everyRequestServedDuringAnOutageIsRecordedExactlyOnceAfterIt() throws Exception {
    TestDatabase postgres = TestDatabases.postgres();
    try (CuttableTcpProxy proxy = new CuttableTcpProxy(TestDatabases.POSTGRES_PORT);
        TestGateway gateway = TestGateway.start("""
            database: { url: "%s", pool_size: 4, connection_timeout: 500ms }
            auth: { cache_ttl: 60s }
            usage: { flush_interval: 50ms }
            providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
            models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
            """.formatted(postgres.postgresUrlThrough(proxy.port())))) {
      String key = gateway.createKey();
      List<String> requestIds = new ArrayList<>();

      requestIds.addAll(send(gateway, key, 30));
      proxy.cut();
      requestIds.addAll(send(gateway, key, 30));
      awaitSpooled(gateway);
      long readyDuringOutage = awaitReadiness(gateway, 503);
      proxy.restore();

      assertThat(readyDuringOutage).as("readiness reports the outage").isEqualTo(503);
      List<String> stored = awaitStoredRequestIds(postgres, 60);
      assertThat(stored).hasSize(60).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(requestIds);
      assertThat(awaitReadiness(gateway, 200)).as("readiness once the database is back").isEqualTo(200);
      assertThat(gateway.get("/metrics", null).body()).containsPattern("tokenrouter_usage_spooled_total [1-9]");
    } finally {
      postgres.drop();
    }
  }

  /**
   * A database that drops packets without a reset: the writer's call fails at the socket
   * timeout and the records go to the spool, while liveness, readiness and metrics answer at
   * once throughout (readiness saying 503), and requests with a known key are served.
   */
  @Test
  void aSilentDatabaseSendsRecordsToTheSpoolWithinSecondsAndNeverHoldsUpHealthOrMetrics() throws Exception {
    TestDatabase postgres = TestDatabases.postgres();
    try (CuttableTcpProxy proxy = new CuttableTcpProxy(TestDatabases.POSTGRES_PORT);
        TestGateway gateway = TestGateway.start("""
            database: { url: "%s", pool_size: 4, connection_timeout: 1s, socket_timeout: 4s, statement_timeout: 2s }
            auth: { cache_ttl: 60s }
            usage: { flush_interval: 50ms }
            providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
            models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
            """.formatted(postgres.postgresUrlThrough(proxy.port())))) {
      String key = gateway.createKey();
      List<String> requestIds = new ArrayList<>(send(gateway, key, 10));
      awaitStoredRequestIds(postgres, 10);

      proxy.blackhole();
      long start = System.nanoTime();
      requestIds.addAll(send(gateway, key, 20));
      long slowestProbeNanos = 0;
      boolean readySaidUnavailable = false;
      while (!spooled(gateway) && System.nanoTime() - start < Duration.ofSeconds(20).toNanos()) {
        for (String path : List.of("/health", "/health/ready", "/metrics")) {
          long asked = System.nanoTime();
          HttpResponse<String> r = gateway.send(HttpRequest.newBuilder(gateway.uri(path))
              .timeout(Duration.ofSeconds(2)).GET().build());
          slowestProbeNanos = Math.max(slowestProbeNanos, System.nanoTime() - asked);
          readySaidUnavailable |= path.equals("/health/ready") && r.statusCode() == 503;
        }
        Thread.sleep(50);
      }
      Duration toSpool = Duration.ofNanos(System.nanoTime() - start);
      boolean readyAtLast = readySaidUnavailable || awaitReadiness(gateway, 503) == 503;
      proxy.restore();

      assertThat(toSpool).as("records spooled after the database went silent").isLessThan(Duration.ofSeconds(10));
      // well under the socket timeout that a probe waiting on the database would take (this machine is shared)
      assertThat(Duration.ofNanos(slowestProbeNanos)).as("slowest /health, /health/ready or /metrics answer")
          .isLessThan(Duration.ofMillis(2000));
      assertThat(readyAtLast).as("readiness reports the silent database").isTrue();
      List<String> stored = awaitStoredRequestIds(postgres, 30);
      assertThat(stored).hasSize(30).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(requestIds);
    } finally {
      postgres.drop();
    }
  }

  private static boolean spooled(TestGateway gateway) {
    return gateway.get("/metrics", null).body().lines()
        .anyMatch(l -> l.matches("tokenrouter_usage_spooled_total [1-9].*"));
  }

  /** Readiness polls a probe once a second: waits (at most 10 s) until it reports {@code status}. */
  private static int awaitReadiness(TestGateway gateway, int status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int seen = gateway.get("/health/ready", null).statusCode();
    while (seen != status && System.nanoTime() < deadline) {
      Thread.sleep(50);
      seen = gateway.get("/health/ready", null).statusCode();
    }
    return seen;
  }

  /**
   * Holds the outage until the writer has met it: it polls on its flush interval, so a short cut
   * could otherwise end before it tried to write, and the spool would never be exercised.
   */
  private static void awaitSpooled(TestGateway gateway) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline && !spooled(gateway)) {
      Thread.sleep(50);
    }
  }

  private static List<String> send(TestGateway gateway, String key, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = gateway.post("/v1/chat/completions", key, BODY);
      assertThat(r.statusCode()).as("request %d: %s", i, r.body()).isEqualTo(200);
      ids.add(r.headers().firstValue("X-Request-Id").orElseThrow());
    }
    assertThat(new HashSet<>(ids)).hasSize(n);
    return ids;
  }

  /** Waits (at most 20 s) until {@code count} rows are stored, then a little longer for extras. */
  private static List<String> awaitStoredRequestIds(TestDatabase postgres, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<String> ids = storedRequestIds(postgres);
    while (ids.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
      ids = storedRequestIds(postgres);
    }
    Thread.sleep(300);
    return storedRequestIds(postgres);
  }

  private static List<String> storedRequestIds(TestDatabase postgres) throws SQLException {
    try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT request_id FROM requests")) {
      List<String> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    }
  }
}
