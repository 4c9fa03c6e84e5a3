package io.tokenrouter.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.AdminCalls;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.support.TestGateway;
import io.tokenrouter.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A provider or model change made through one instance's admin API reaches the other instances
 * of the same PostgreSQL and Redis (they read the stored changes again on the change's event; file
 * watching is off, so nothing else can have told them), and a gateway started later on the same
 * database starts with it.
 */
@Timeout(60)
class AdminChangesAcrossInstancesTest {
  private static final String TOKEN = "admin-token-for-tests-0123456789";
  private static TestDatabase schema;
  private static FakeOpenAiServer upstream;
  private static String yaml;
  private static TestGateway one;
  private static TestGateway two;

  @BeforeAll
  static void start() {
    TestRedis.require();
    schema = TestDatabases.postgres();
    upstream = new FakeOpenAiServer();
    yaml = """
        database: { url: "%s" }
        redis: { url: "%s", timeout: 5s }
        admin: { token: %s }
        routing: { reload: { watch: false }, affinity: { enabled: false } }
        providers:
          - { name: first, type: openai, base_url: "%s", api_key: sk-1 }
          - { name: second, type: openai, base_url: "%4$s", api_key: sk-2 }
        models:
          - { name: chat, targets: [ { provider: first, model: from-first, priority: 0 }, { provider: second, model: from-second, priority: 1 } ] }
        """.formatted(schema.postgresUrlThrough(TestDatabases.POSTGRES_PORT), TestRedis.URL, TOKEN, upstream.baseUrl());
    one = TestGateway.start(yaml);
    two = TestGateway.start(yaml);
  }

  @AfterAll
  static void stop() {
    if (one != null) {
      one.close();
    }
    if (two != null) {
      two.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (schema != null) {
      schema.drop();
    }
  }

  /** The model the upstream was asked for by {@code gateway}'s next request for {@code model}, or its status. */
  private static String served(TestGateway gateway, String key, String model) {
    int before = upstream.received().size();
    int status = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode();
    return status == 200 && upstream.received().size() > before ? upstream.received().getLast().body().getString("model")
        : String.valueOf(status);
  }

  private static String servedWithin(TestGateway gateway, String key, String model, String expected) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    String got = served(gateway, key, model);
    while (!got.equals(expected) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      got = served(gateway, key, model);
    }
    return got;
  }

  @Test
  void aProviderDisabledThroughOneInstanceIsSkippedByTheOtherAndByAGatewayStartedLater() {
    String key = one.createKey();
    assertThat(served(two, key, "chat")).isEqualTo("from-first");

    AdminCalls.Answer a = new AdminCalls(one, TOKEN).patch("/admin/providers/first", "{\"enabled\":false}");
    assertThat(a.status()).as(a.body()).isEqualTo(200);

    assertThat(servedWithin(two, key, "chat", "from-second")).isEqualTo("from-second");
    try (TestGateway later = TestGateway.start(yaml)) {
      assertThat(served(later, key, "chat")).isEqualTo("from-second");
    }
    assertThat(new AdminCalls(one, TOKEN).patch("/admin/providers/first", "{\"enabled\":null}").status())
        .isEqualTo(200);
    assertThat(servedWithin(two, key, "chat", "from-first")).as("null gives the file's value back")
        .isEqualTo("from-first");
  }

  @Test
  void aMappingAddedThroughOneInstanceIsServedByTheOther() {
    String key = one.createKey();
    assertThat(served(two, key, "added-later")).isEqualTo("404");

    AdminCalls.Answer a = new AdminCalls(one, TOKEN).post("/admin/models",
        "{\"name\":\"added-later\",\"targets\":[{\"provider\":\"second\",\"model\":\"later-up\"}]}");
    assertThat(a.status()).as(a.body()).isEqualTo(201);

    assertThat(servedWithin(two, key, "added-later", "later-up")).isEqualTo("later-up");
  }
}
