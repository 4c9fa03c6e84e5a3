package io.tokenrouter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.CuttableTcpProxy;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys while the gateway's database is silent (PostgreSQL behind a proxy that drops every packet):
 * keys it has looked up before keep working well past {@code auth.cache_ttl}, a revocation
 * announced over Redis still applies at once, and a key it has never seen gets a quick 503.
 */
class KeysDuringDatabaseOutageTest {
  private static final String HELLO = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final Duration LOOKUP_TIMEOUT = Duration.ofMillis(500);
  private TestDatabase postgres;
  private CuttableTcpProxy proxy;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    TestRedis.require();
    postgres = TestDatabases.postgres();
    proxy = new CuttableTcpProxy(TestDatabases.POSTGRES_PORT);
    gateway = TestGateway.start("""
        database: { url: "%s", pool_size: 4, connection_timeout: 1s, socket_timeout: 2s, statement_timeout: 1s }
        redis: { url: "%s" }
        auth: { cache_ttl: 200ms, stale_for: 1h, lookup_timeout: %dms }
        usage: { flush_interval: 50ms }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """.formatted(postgres.postgresUrlThrough(proxy.port()), TestRedis.URL, LOOKUP_TIMEOUT.toMillis()));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (postgres != null) {
      postgres.drop();
    }
  }

  @Test
  void knownKeysKeepWorkingRevocationsApplyAndUnknownKeysGetAQuick503() throws Exception {
    String kept = gateway.createKey();
    String revoked = gateway.createKey();
    String unseen = gateway.createKey();
    assertThat(status(kept)).isEqualTo(200);
    assertThat(status(revoked)).isEqualTo(200);

    proxy.blackhole();
    long start = System.nanoTime();
    long slowestNanos = 0;
    int served = 0;
    while (System.nanoTime() - start < Duration.ofSeconds(3).toNanos()) {
      long asked = System.nanoTime();
      assertThat(status(kept)).as("a known key during the outage").isEqualTo(200);
      slowestNanos = Math.max(slowestNanos, System.nanoTime() - asked);
      served++;
      Thread.sleep(50);
    }
    long askedUnseen = System.nanoTime();
    HttpResponse<String> unknown = gateway.post("/v1/chat/completions", unseen, HELLO);
    Duration unknownTook = Duration.ofNanos(System.nanoTime() - askedUnseen);

    revokeElsewhere(revoked);
    long announced = System.nanoTime();
    int afterRevocation = awaitNot200(revoked);
    Duration revocationTook = Duration.ofNanos(System.nanoTime() - announced);

    assertThat(served).as("requests of a known key, 15 cache TTLs into the outage").isGreaterThan(20);
    assertThat(Duration.ofNanos(slowestNanos)).as("slowest of them").isLessThan(LOOKUP_TIMEOUT);
    assertThat(unknown.statusCode()).isEqualTo(503);
    assertThat(unknown.body()).contains("auth_unavailable");
    assertThat(unknownTook).as("time to refuse a key not looked up before").isLessThan(Duration.ofSeconds(1));
    assertThat(afterRevocation).as("a key revoked during the outage").isEqualTo(503);
    assertThat(revocationTook).as("time until the revocation applied").isLessThan(Duration.ofSeconds(1));
    assertThat(status(kept)).isEqualTo(200);

    proxy.restore();
    assertThat(awaitStatus(unseen, 200)).as("the unseen key once the database is back").isEqualTo(200);
    assertThat(status(revoked)).isEqualTo(401);
  }

  /** What another instance does on a revoke: mark it in the database, announce it over Redis. */
  private void revokeElsewhere(String rawKey) throws Exception {
    try (Connection c = postgres.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked = TRUE WHERE key_hash = ?")) {
      ps.setString(1, ApiKeys.hash(rawKey));
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    TestRedis.call("PUBLISH", "tokenrouter:events", "key_changed:" + ApiKeys.hash(rawKey));
  }

  private int status(String key) {
    return gateway.post("/v1/chat/completions", key, HELLO).statusCode();
  }

  private int awaitNot200(String key) throws InterruptedException {
    return awaitUntil(key, s -> s != 200);
  }

  private int awaitStatus(String key, int wanted) throws InterruptedException {
    return awaitUntil(key, s -> s == wanted);
  }

  /** Asks every 50 ms, for at most 10 s, until the status satisfies {@code done}; the last status. */
  private int awaitUntil(String key, IntPredicate done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int seen = status(key);
    while (!done.test(seen) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      seen = status(key);
    }
    return seen;
  }
}
