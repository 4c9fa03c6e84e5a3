package io.tokenrouter.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A namespace's policy applies to every request its matcher selects, across keys. */
class NamespacePolicyTest {
  private static final String HELLO = "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private TestGateway gateway;

  @BeforeEach
  void start() {
    gateway = TestGateway.start("""
        providers: [ { name: mock, type: mock, mock: { chunk_delay: 1ms } } ]
        models:
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
          - { name: mock-large, targets: [ { provider: mock, model: mock-large } ] }
        namespaces:
          - { name: alpha, match: { project: alpha }, policy: { rpm: 2 } }
          - { name: search-team, match: { header: { X-Team: search } }, policy: { models: [ "mock-chat" ] } }
        """);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private String keyOfProject(String project) {
    String key = gateway.createKey(null, Limits.NONE);
    try (var c = gateway.gateway().database().dataSource().getConnection();
        var ps = c.prepareStatement("UPDATE api_keys SET project = ? WHERE key_hash = ?")) {
      ps.setString(1, project);
      ps.setString(2, io.tokenrouter.auth.ApiKeys.hash(key));
      ps.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    return key;
  }

  @Test
  void projectNamespaceRateIsSharedByAllItsKeys() {
    String first = keyOfProject("alpha");
    String second = keyOfProject("alpha");
    String outsider = keyOfProject("beta");

    assertThat(gateway.post("/v1/chat/completions", first, HELLO).statusCode()).isEqualTo(200);
    assertThat(gateway.post("/v1/chat/completions", second, HELLO).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = gateway.post("/v1/chat/completions", first, HELLO);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("namespace alpha");
    assertThat(gateway.post("/v1/chat/completions", outsider, HELLO).statusCode()).isEqualTo(200);
  }

  @Test
  void headerNamespaceNarrowsTheModels() {
    String key = gateway.createKey();
    HttpRequest.Builder large = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
        .header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(HELLO.replace("mock-chat", "mock-large")));

    assertThat(gateway.send(large.copy().header("X-Team", "search").build()).statusCode()).isEqualTo(403);
    assertThat(gateway.send(large.build()).statusCode()).isEqualTo(200);
  }
}
