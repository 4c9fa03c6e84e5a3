package io.tokenrouter.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.CuttableTcpProxy;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.support.TestGateway;
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
      HttpResponse<String> readyDuringOutage = gateway.get("/health/ready", null);
      requestIds.addAll(send(gateway, key, 30));
      awaitSpooled(gateway);
      proxy.restore();

      assertThat(readyDuringOutage.statusCode()).isEqualTo(503);
      List<String> stored = awaitStoredRequestIds(postgres, 60);
      assertThat(stored).hasSize(60).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(requestIds);
      assertThat(gateway.get("/health/ready", null).statusCode()).isEqualTo(200);
      assertThat(gateway.get("/metrics", null).body()).containsPattern("tokenrouter_usage_spooled_total [1-9]");
    } finally {
      postgres.drop();
    }
  }

  /**
   * Holds the outage until the writer has met it: it polls on its flush interval, so a short cut
   * could otherwise end before it tried to write, and the spool would never be exercised.
   */
  private static void awaitSpooled(TestGateway gateway) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline
        && !gateway.get("/metrics", null).body().lines().anyMatch(l -> l.matches("tokenrouter_usage_spooled_total [1-9].*"))) {
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
