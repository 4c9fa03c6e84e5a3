package io.tokenrouter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A gateway with {@code auth.mode: remote} serves the authority's active keys and never opens the door without it. */
class RemoteAuthGatewayTest {
  private static final String HELLO = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final UUID KEY_ID = UUID.randomUUID();
  private static Vertx vertx;
  private static HttpServer authority;
  private static TestGateway gateway;
  private static volatile boolean down;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    authority = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (down) {
        req.response().setStatusCode(502).end();
        return;
      }
      String token = new JsonObject(body).getString("token");
      JsonObject answer = switch (token) {
        case "tr-partner" -> new JsonObject().put("status", "active").put("key_id", KEY_ID.toString())
            .put("models", new JsonArray().add("mock-*"));
        case "tr-gone" -> new JsonObject().put("status", "revoked");
        default -> new JsonObject().put("status", "unknown");
      };
      req.response().putHeader("content-type", "application/json").end(answer.encode());
    })).listen(0, "127.0.0.1").await();
    gateway = TestGateway.start("""
        auth: { mode: remote, introspection_url: "http://127.0.0.1:%d/introspect" }
        usage: { flush_interval: 20ms }
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
        models:
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
          - { name: other, targets: [ { provider: mock, model: mock-chat } ] }
        """.formatted(authority.actualPort()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    vertx.close().await();
  }

  @Test
  void anActiveKeyIsServedAndRecordedUnderTheAuthoritysKeyId() {
    assertThat(gateway.post("/v1/chat/completions", "tr-partner", HELLO).statusCode()).isEqualTo(200);
    assertThat(gateway.post("/v1/chat/completions", "tr-partner", HELLO.replace("mock-chat", "other")).statusCode())
        .isEqualTo(403);
    assertThat(gateway.awaitRecordsOf(KEY_ID, 1)).isNotEmpty();
  }

  @Test
  void revokedAndUnknownKeysAreRefused() {
    assertThat(gateway.post("/v1/chat/completions", "tr-gone", HELLO).body()).contains("has been revoked");
    assertThat(gateway.post("/v1/chat/completions", "tr-who", HELLO).statusCode()).isEqualTo(401);
  }

  @Test
  void anAuthorityThatIsDownGivesA503NeverAnOpenDoor() {
    down = true;
    try {
      HttpResponse<String> r = gateway.post("/v1/chat/completions", "tr-someone-new", HELLO);

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("auth_unavailable");
    } finally {
      down = false;
    }
  }

  @Test
  void hitRateAndAuthorityLatencyAreMetrics() {
    gateway.post("/v1/chat/completions", "tr-partner", HELLO);
    gateway.post("/v1/chat/completions", "tr-partner", HELLO);

    String metrics = gateway.get("/metrics", null).body();

    assertThat(metrics).contains("tokenrouter_auth_cache_lookups_total{result=\"hit\"}",
        "tokenrouter_auth_cache_lookups_total{result=\"miss\"}",
        "tokenrouter_auth_introspection_duration_seconds_count{outcome=\"active\"}");
  }
}
