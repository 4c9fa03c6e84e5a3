package io.tokenrouter.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.auth.ApiKeys;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.StoredKey;
import io.tokenrouter.support.RecordingUpstream;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two gateway instances sharing one Redis share one upstream call between identical requests in flight. */
class TwoInstancesDedupTest {
  private static RecordingUpstream upstream;
  private static TestGateway a;
  private static TestGateway b;
  private static String key;

  @BeforeAll
  static void start() {
    TestRedis.require();
    upstream = new RecordingUpstream().delay(1500);
    String yaml = """
        redis: { url: "%s", timeout: 5s }
        usage: { flush_interval: 20ms }
        providers: [ { name: up, type: openai, base_url: "%s" } ]
        models: [ { name: chat, targets: [ { provider: up, model: chat } ] } ]
        """.formatted(TestRedis.URL, upstream.baseUrl());
    a = TestGateway.start(yaml);
    b = TestGateway.start(yaml);
    // one key, known to both instances' databases
    key = ApiKeys.generate();
    StoredKey stored = new StoredKey(UUID.randomUUID(), "shared", ApiKeys.hash(key), ApiKeys.displayPrefix(key),
        List.of(), false, null, Instant.now(), null, null, null);
    new ApiKeyRepository(a.gateway().database().dataSource()).insert(stored);
    new ApiKeyRepository(b.gateway().database().dataSource()).insert(stored);
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private static List<HttpResponse<String>> send(String body, TestGateway... to) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (TestGateway g : to) {
        sent.add(pool.submit(() -> g.post("/v1/chat/completions", key, body)));
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> f : sent) {
        answers.add(f.get());
      }
      return answers;
    }
  }

  @Test
  void requestsOnBothInstancesShareTheOneCallEitherOfThemMakes() throws Exception {
    int before = upstream.requests();
    String body = "{\"model\":\"chat\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\""
        + UUID.randomUUID() + "\"}]}";

    List<HttpResponse<String>> answers = send(body, a, b, a, b, b);

    assertThat(upstream.requests() - before).isEqualTo(1);
    assertThat(answers).allSatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("answer").isEqualTo(answers.getFirst().body());
    });
    List<Map<String, Object>> records = new ArrayList<>(a.awaitRecords(2));
    records.addAll(b.awaitRecords(3));
    assertThat(records).extracting(r -> r.get("dedup_hit")).containsExactlyInAnyOrder(false, true, true, true, true);
    assertThat(records).extracting(r -> r.get("provider")).containsOnly("up");
  }
}
