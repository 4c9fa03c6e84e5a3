package io.tokenrouter.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.auth.ApiKeys;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.StoredKey;
import io.tokenrouter.support.RecordingUpstream;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Identical non-streamed requests in flight at once, on one gateway. */
class DedupTest {
  private RecordingUpstream upstream;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    upstream = new RecordingUpstream().delay(1000);
    gateway = TestGateway.start("""
        usage: { flush_interval: 20ms }
        providers: [ { name: up, type: openai, base_url: "%s" } ]
        models: [ { name: chat, targets: [ { provider: up, model: chat } ] } ]
        # one attempt per call: a retry would hide the failure of the shared call these tests are about
        routing: { retry: { per_target: 1 } }
        """.formatted(upstream.baseUrl()));
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  private static String question(String extra) {
    return "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"what is 2+2? " + UUID.randomUUID()
        + "\"}]" + extra + "}";
  }

  /** Sends the requests all at once; their answers in order. */
  private static List<HttpResponse<String>> atOnce(List<Supplier<HttpResponse<String>>> requests) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (Supplier<HttpResponse<String>> r : requests) {
        sent.add(pool.submit(r::get));
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> f : sent) {
        answers.add(f.get());
      }
      return answers;
    }
  }

  @Test
  void identicalRequestsInFlightTogetherShareOneUpstreamCallAndEachGetsItsOwnRecord() throws Exception {
    String key = gateway.createKey();
    String body = question(",\"temperature\":0");

    List<HttpResponse<String>> answers = atOnce(List.of(() -> gateway.post("/v1/chat/completions", key, body),
        () -> gateway.post("/v1/chat/completions", key, body), () -> gateway.post("/v1/chat/completions", key, body),
        () -> gateway.post("/v1/chat/completions", key, body), () -> gateway.post("/v1/chat/completions", key, body)));

    assertThat(upstream.requests()).isEqualTo(1);
    assertThat(answers).allSatisfy(a -> {
      assertThat(a.statusCode()).isEqualTo(200);
      assertThat(a.body()).contains("answer 1");
    });
    assertThat(answers).filteredOn(a -> a.headers().firstValue("x-tokenrouter-pipeline").orElse("")
        .contains("dedup=shared")).hasSize(4);
    List<Map<String, Object>> records = gateway.awaitRecords(5);
    assertThat(records).extracting(r -> r.get("dedup_hit")).containsExactlyInAnyOrder(false, true, true, true, true);
    assertThat(records).extracting(r -> r.get("prompt_tokens")).containsOnly(2000);
    assertThat(records).extracting(r -> r.get("provider")).containsOnly("up");
    assertThat(gateway.get("/metrics", null).body()).contains("tokenrouter_dedup_hits_total{model=\"chat\"} 4.0");
  }

  @Test
  void differentKeysStreamsAndSampledRequestsAreNeverShared() throws Exception {
    String one = gateway.createKey();
    String two = gateway.createKey();
    String body = question(",\"temperature\":0");
    String sampled = question("");
    String stream = question(",\"stream\":true");

    atOnce(List.of(() -> gateway.post("/v1/chat/completions", one, body),
        () -> gateway.post("/v1/chat/completions", two, body),
        () -> gateway.post("/v1/chat/completions", one, sampled),
        () -> gateway.post("/v1/chat/completions", one, sampled),
        () -> gateway.post("/v1/chat/completions", one, stream),
        () -> gateway.post("/v1/chat/completions", one, stream)));

    assertThat(upstream.requests()).isEqualTo(6);
  }

  @Test
  void whenTheSharedCallFailsEachWaiterAsksTheProviderItself() throws Exception {
    upstream.failFirst(1);
    String key = gateway.createKey();
    String body = question(",\"temperature\":0");

    List<HttpResponse<String>> answers = atOnce(List.of(() -> gateway.post("/v1/chat/completions", key, body),
        () -> gateway.post("/v1/chat/completions", key, body), () -> gateway.post("/v1/chat/completions", key, body)));

    assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(502, 200, 200);
    assertThat(upstream.requests()).isEqualTo(3);
  }

  @Test
  void aKeyCanTurnSharingOff() throws Exception {
    String raw = ApiKeys.generate();
    new ApiKeyRepository(gateway.gateway().database().dataSource()).insert(new StoredKey(UUID.randomUUID(), "no-dedup",
        ApiKeys.hash(raw), ApiKeys.displayPrefix(raw), List.of(), false, null, Instant.now(), null, null, null,
        false, List.of("dedup")));
    String body = question(",\"temperature\":0");

    atOnce(List.of(() -> gateway.post("/v1/chat/completions", raw, body),
        () -> gateway.post("/v1/chat/completions", raw, body)));

    assertThat(upstream.requests()).isEqualTo(2);
  }
}
