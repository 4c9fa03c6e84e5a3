package io.tokenrouter.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two gateway instances on one PostgreSQL and one Redis behave as one gateway. */
class TwoInstancesTest {
  private static final String HELLO = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static TestDatabase schema;
  private static TestGateway a;
  private static TestGateway b;

  @BeforeAll
  static void start() {
    TestRedis.require();
    schema = TestDatabases.postgres();
    String yaml = """
        database: { url: "%s" }
        redis: { url: "%s", fail_mode: closed, timeout: 5s }
        admin: { token: admin-secret }
        auth: { cache_ttl: 60s }
        usage: { flush_interval: 20ms }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
        models: [ { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] } ]
        """.formatted(schema.postgresUrlThrough(TestDatabases.POSTGRES_PORT), TestRedis.URL);
    a = TestGateway.start(yaml);
    b = TestGateway.start(yaml);
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (schema != null) {
      schema.drop();
    }
  }

  @Test
  void keyLimitedToNRequestsPerMinuteGetsExactlyNAcrossBothInstances() throws Exception {
    String key = a.createKeyWithLimits(10, null);
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      TestGateway target = i % 2 == 0 ? a : b;
      answers.add(pool.submit(() -> target.post("/v1/chat/completions", key, HELLO)));
    }

    List<Integer> statuses = new ArrayList<>();
    for (Future<HttpResponse<String>> f : answers) {
      statuses.add(f.get().statusCode());
    }
    pool.shutdown();

    assertThat(statuses).filteredOn(s -> s == 200).hasSize(10);
    assertThat(statuses).filteredOn(s -> s == 429).hasSize(20);
  }

  @Test
  void keyRevokedThroughOneInstanceIsRefusedByTheOtherWithinASecond() throws Exception {
    String key = a.createKey();
    assertThat(b.post("/v1/chat/completions", key, HELLO).statusCode()).isEqualTo(200);
    UUID id = a.keyId(key);

    HttpResponse<String> revoked = a.send(HttpRequest.newBuilder(a.uri("/admin/api-keys/" + id))
        .header("Authorization", "Bearer admin-secret").DELETE().build());
    long revokedAt = System.nanoTime();

    assertThat(revoked.statusCode()).isEqualTo(200);
    int status = 200;
    while (System.nanoTime() - revokedAt < 1_000_000_000L && status == 200) {
      status = b.post("/v1/chat/completions", key, HELLO).statusCode();
    }
    assertThat(status).as("the other instance refuses the key within a second").isEqualTo(401);
  }

  @Test
  void usageFromBothInstancesLandsInOneTable() {
    String key = a.createKey();
    List<String> requestIds = new ArrayList<>();

    for (int i = 0; i < 5; i++) {
      requestIds.add(a.post("/v1/chat/completions", key, HELLO).headers().firstValue("x-request-id").orElseThrow());
      requestIds.add(b.post("/v1/chat/completions", key, HELLO).headers().firstValue("x-request-id").orElseThrow());
    }

    assertThat(b.awaitRecordsOf(a.keyId(key), 10)).extracting(row -> row.get("request_id"))
        .containsExactlyInAnyOrderElementsOf(requestIds);
  }

  @Test
  void adminApiRefusesRequestsWithoutTheAdminToken() {
    HttpResponse<String> r = a.send(HttpRequest.newBuilder(a.uri("/admin/api-keys/" + UUID.randomUUID()))
        .header("Authorization", "Bearer not-it").DELETE().build());

    assertThat(r.statusCode()).isEqualTo(401);
  }
}
