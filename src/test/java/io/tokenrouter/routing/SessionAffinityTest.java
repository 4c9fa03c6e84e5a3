package io.tokenrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.api.openai.ChatCompletionsApi;
import io.tokenrouter.call.Call;
import io.tokenrouter.pipeline.Hasher;
import io.tokenrouter.support.ScriptedUpstream;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A conversation stays on its target while it is healthy, moves when it fails, and instances agree through Redis. */
@Timeout(30)
class SessionAffinityTest {
  private final ScriptedUpstream x = new ScriptedUpstream("x");
  private final ScriptedUpstream y = new ScriptedUpstream("y");
  private final List<TestGateway> gateways = new ArrayList<>();
  /** Unique per test: pins in Redis outlive a test by their TTL. */
  private final String session = "session-" + UUID.randomUUID();

  private TestGateway start(String extra) {
    TestGateway gateway = TestGateway.start("""
        providers:
          - { name: x, type: openai, base_url: "%s" }
          - { name: y, type: openai, base_url: "%s" }
        models:
          - { name: m, strategy: round_robin, targets: [ { provider: x, model: m }, { provider: y, model: m } ] }
        routing: { retry: { per_target: 1 } }
        %s
        """.formatted(x.openAiUrl(), y.openAiUrl(), extra));
    gateways.add(gateway);
    return gateway;
  }

  @AfterEach
  void stop() {
    gateways.forEach(TestGateway::close);
    x.close();
    y.close();
  }

  /** One turn of a conversation: the answer's text names the upstream that served it. */
  private static String turn(TestGateway gateway, String key, String sessionHeader, int turn) {
    StringBuilder messages = new StringBuilder("{\"role\":\"system\",\"content\":\"be brief\"}");
    for (int i = 0; i <= turn; i++) {
      messages.append(",{\"role\":\"user\",\"content\":\"turn ").append(i).append("\"}");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
        .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[" + messages + "]}"));
    if (sessionHeader != null) {
      request.header("x-session-id", sessionHeader);
    }
    String body = gateway.send(request.build()).body();
    return new JsonObject(body).getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
  }

  @Test
  void aSessionStaysOnItsTargetAcrossTurnsWhileRoundRobinAlternatesOthers() {
    TestGateway gateway = start("");
    String key = gateway.createKey();

    String first = turn(gateway, key, session, 0);
    for (int t = 1; t < 6; t++) {
      assertThat(turn(gateway, key, session, t)).isEqualTo(first);
    }
    // other conversations still take turns
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      others.add(turn(gateway, key, "other-" + UUID.randomUUID(), 0));
    }
    assertThat(others).contains(x.text(), y.text());
  }

  @Test
  void withoutAHeaderTheConversationIsKnownByItsStart() {
    TestGateway gateway = start("");
    String key = gateway.createKey();

    String first = turn(gateway, key, null, 0);
    for (int t = 1; t < 5; t++) {
      assertThat(turn(gateway, key, null, t)).isEqualTo(first);
    }
  }

  @Test
  void aSessionMovesWhenItsTargetFailsAndStaysWhereItMoved() {
    TestGateway gateway = start("");
    String key = gateway.createKey();
    String first = turn(gateway, key, session, 0);
    ScriptedUpstream pinned = first.equals(x.text()) ? x : y;
    ScriptedUpstream spare = pinned == x ? y : x;

    pinned.always(ScriptedUpstream.status(500));
    assertThat(turn(gateway, key, session, 1)).isEqualTo(spare.text());
    pinned.always(ScriptedUpstream.answer());

    for (int t = 2; t < 5; t++) {
      assertThat(turn(gateway, key, session, t)).isEqualTo(spare.text());
    }
  }

  @Test
  void twoInstancesAgreeThroughRedis() {
    TestRedis.require();
    String redis = "redis: { url: \"" + TestRedis.URL + "\" }";
    TestGateway a = start(redis);
    TestGateway b = start(redis);
    String keyA = a.createKey();
    String keyB = b.createKey();
    // a's turn counter moves on, so the session starts on the target b would not choose first
    turn(a, keyA, "warm-up-" + UUID.randomUUID(), 0);
    String first = turn(a, keyA, session, 0);
    assertThat(first).isEqualTo(y.text());

    for (int t = 1; t < 7; t++) {
      assertThat(turn(t % 2 == 0 ? a : b, t % 2 == 0 ? keyA : keyB, session, t)).isEqualTo(first);
    }
  }

  @Test
  void theHeaderWinsOverThePipelinesConversationHashWhichWinsOverOurOwn() {
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
        + "{\"role\":\"user\",\"content\":\"first\"}]}";
    String longer = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
        + "{\"role\":\"user\",\"content\":\"first\"},{\"role\":\"assistant\",\"content\":\"a\"},"
        + "{\"role\":\"user\",\"content\":\"second\"}]}";
    SessionAffinity affinity = new SessionAffinity(new LocalPinStore(10));

    Call bare = call(body, MultiMap.caseInsensitiveMultiMap());
    Call later = call(longer, MultiMap.caseInsensitiveMultiMap());
    Call hashed = call(body, MultiMap.caseInsensitiveMultiMap());
    hashed.put(Hasher.CONVERSATION_KEY, "pipeline-hash");
    Call headed = call(body, MultiMap.caseInsensitiveMultiMap().add("x-claude-code-session-id", "abc"));
    headed.put(Hasher.CONVERSATION_KEY, "pipeline-hash");

    assertThat(affinity.session(bare)).hasSize(64).isEqualTo(affinity.session(later));
    assertThat(affinity.session(hashed)).isEqualTo("pipeline-hash");
    assertThat(affinity.session(headed)).isEqualTo("abc");
  }

  private static Call call(String body, MultiMap headers) {
    Call call = new Call("req", "/v1/chat/completions", HttpMethod.POST, "/v1/chat/completions", headers, null,
        body.getBytes(StandardCharsets.UTF_8), new ChatCompletionsApi(), (c, outcome) -> { });
    call.readEnvelope();
    return call;
  }
}
