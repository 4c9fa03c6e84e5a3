package io.tokenrouter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.caller.Identity;
import io.tokenrouter.config.AuthConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keys checked against a token authority over HTTP, its answers cached by status and bounded. */
class RemoteAuthenticatorTest {
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, JsonObject> answers = new ConcurrentHashMap<>();
  private final Map<String, Integer> asked = new ConcurrentHashMap<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicReference<Integer> failWith = new AtomicReference<>();
  private final AtomicLong now = new AtomicLong();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final HttpServer authority = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
    String token = new JsonObject(body).getString("token");
    asked.merge(token, 1, Integer::sum);
    authorizations.add(String.valueOf(req.getHeader("Authorization")));
    if (failWith.get() != null) {
      req.response().setStatusCode(failWith.get()).end("down for maintenance");
      return;
    }
    req.response().putHeader("content-type", "application/json")
        .end(answers.getOrDefault(token, new JsonObject().put("status", "unknown")).encode());
  })).listen(0, "127.0.0.1").await();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private RemoteAuthenticator authenticator(int cacheSize) {
    return authenticator("http://127.0.0.1:" + authority.actualPort() + "/introspect", cacheSize);
  }

  private RemoteAuthenticator authenticator(String url, int cacheSize) {
    AuthConfig config = new AuthConfig(null, cacheSize, null, null, AuthConfig.Mode.REMOTE, url, "authority-secret",
        Duration.ofSeconds(2));
    return new RemoteAuthenticator(config, new RemoteAuthenticator.Listener() {
      @Override
      public void looked(boolean cached) {
        events.add(cached ? "hit" : "miss");
      }

      @Override
      public void authorityAnswered(String outcome, long nanos) {
        events.add(outcome);
      }
    }, now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private static Identity identity(RemoteAuthenticator auth, String key) {
    return auth.authenticate(key).join();
  }

  private static Throwable refusal(RemoteAuthenticator auth, String key) {
    try {
      auth.authenticate(key).join();
      throw new AssertionError("accepted " + key);
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  void anActiveAnswerBecomesTheIdentity() {
    UUID keyId = UUID.randomUUID();
    UUID userId = UUID.randomUUID();
    answers.put("tr-active", new JsonObject().put("status", "active").put("key_id", keyId.toString())
        .put("name", "partner").put("user_id", userId.toString()).put("project", "search").put("plan", "pro")
        .put("models", List.of("gpt-4o*")).put("limits", new JsonObject().put("rpm_limit", 60).put("daily_budget", 5))
        .put("user_limits", new JsonObject().put("tpm_limit", 1000)).put("monthly_token_quota", 50_000)
        .put("price_multiplier", 0.8));

    Identity id = identity(authenticator(100), "tr-active");

    assertThat(id.keyId()).isEqualTo(keyId);
    assertThat(id.keyName()).isEqualTo("partner");
    assertThat(id.userId()).isEqualTo(userId);
    assertThat(id.project()).isEqualTo("search");
    assertThat(id.plan()).isEqualTo("pro");
    assertThat(id.mayUse("gpt-4o-mini")).isTrue();
    assertThat(id.mayUse("claude-3")).isFalse();
    assertThat(id.keyLimits().rpm()).isEqualTo(60);
    assertThat(id.keyLimits().dailyBudgetUsd()).isEqualByComparingTo("5");
    assertThat(id.userLimits().tpm()).isEqualTo(1000);
    assertThat(id.monthlyTokenQuota()).isEqualTo(50_000L);
    assertThat(id.priceMultiplier()).isEqualByComparingTo("0.8");
    assertThat(authorizations).containsExactly("Bearer authority-secret");
  }

  @Test
  void aKeyIdThatIsNotAUuidGetsTheSameDerivedUuidEveryTime() {
    answers.put("tr-a", new JsonObject().put("status", "active").put("key_id", "key-42"));
    RemoteAuthenticator auth = authenticator(100);

    UUID first = identity(auth, "tr-a").keyId();
    auth.invalidate(ApiKeys.hash("tr-a"));

    assertThat(identity(auth, "tr-a").keyId()).isEqualTo(first);
  }

  @Test
  void activeAnswersAreCachedThirtySeconds() {
    answers.put("tr-a", new JsonObject().put("status", "active").put("key_id", UUID.randomUUID().toString()));
    RemoteAuthenticator auth = authenticator(100);

    identity(auth, "tr-a");
    advance(Duration.ofSeconds(29));
    identity(auth, "tr-a");
    assertThat(asked.get("tr-a")).isEqualTo(1);
    advance(Duration.ofSeconds(2));
    identity(auth, "tr-a");

    assertThat(asked.get("tr-a")).isEqualTo(2);
    assertThat(events).containsExactly("miss", "active", "hit", "miss", "active");
  }

  @Test
  void expiredAnswersAreCachedTwoMinutesAndRefused() {
    answers.put("tr-e", new JsonObject().put("status", "expired"));
    RemoteAuthenticator auth = authenticator(100);

    assertThat(refusal(auth, "tr-e")).isInstanceOf(AuthException.class).hasMessage("This API key has expired.");
    advance(Duration.ofSeconds(119));
    refusal(auth, "tr-e");
    assertThat(asked.get("tr-e")).isEqualTo(1);
    advance(Duration.ofSeconds(2));
    refusal(auth, "tr-e");

    assertThat(asked.get("tr-e")).isEqualTo(2);
  }

  @Test
  void revokedAnswersAreCachedTenMinutesAndRefused() {
    answers.put("tr-r", new JsonObject().put("status", "revoked"));
    RemoteAuthenticator auth = authenticator(100);

    assertThat(refusal(auth, "tr-r")).isInstanceOf(AuthException.class).hasMessage("This API key has been revoked.");
    advance(Duration.ofSeconds(599));
    refusal(auth, "tr-r");
    assertThat(asked.get("tr-r")).isEqualTo(1);
    advance(Duration.ofSeconds(2));
    refusal(auth, "tr-r");

    assertThat(asked.get("tr-r")).isEqualTo(2);
  }

  @Test
  void anUnknownKeyIsRefusedAsIncorrect() {
    assertThat(refusal(authenticator(100), "tr-nobody-knows")).isInstanceOf(AuthException.class)
        .hasMessage("Incorrect API key provided: tr-nobody-...");
  }

  @Test
  void anAuthorityThatFailsRefusesTheKeyWithoutCachingTheFailure() {
    answers.put("tr-a", new JsonObject().put("status", "active").put("key_id", UUID.randomUUID().toString()));
    RemoteAuthenticator auth = authenticator(100);
    failWith.set(503);

    Throwable down = refusal(auth, "tr-a");
    failWith.set(null);

    assertThat(down).isNotInstanceOf(AuthException.class).hasMessageContaining("answered HTTP 503");
    assertThat(identity(auth, "tr-a")).isNotNull();
    assertThat(events).containsExactly("miss", "error", "miss", "active");
  }

  @Test
  void anAuthorityThatCannotBeReachedRefusesTheKey() {
    int closed = authority.actualPort();
    authority.close().await();

    Throwable down = refusal(authenticator("http://127.0.0.1:" + closed + "/introspect", 100), "tr-a");

    assertThat(down).isNotInstanceOf(AuthException.class).hasMessageContaining("did not answer");
  }

  @Test
  void anAnswerThatIsNotTheProtocolRefusesTheKey() {
    answers.put("tr-odd", new JsonObject().put("status", "maybe"));
    answers.put("tr-noid", new JsonObject().put("status", "active"));
    RemoteAuthenticator auth = authenticator(100);

    assertThat(refusal(auth, "tr-odd")).isNotInstanceOf(AuthException.class).hasMessageContaining("status 'maybe'");
    assertThat(refusal(auth, "tr-noid")).isNotInstanceOf(AuthException.class).hasMessageContaining("key_id");
  }

  @Test
  void theCacheHoldsAtMostCacheSizeAnswers() throws Exception {
    for (int i = 0; i < 50; i++) {
      answers.put("tr-" + i, new JsonObject().put("status", "active").put("key_id", UUID.randomUUID().toString()));
    }
    RemoteAuthenticator auth = authenticator(10);
    for (int i = 0; i < 50; i++) {
      identity(auth, "tr-" + i);
    }
    Thread.sleep(500);

    for (int i = 0; i < 50; i++) {
      identity(auth, "tr-" + i);
    }

    long askedAgain = asked.values().stream().filter(n -> n > 1).count();
    assertThat(askedAgain).as("keys no longer cached").isGreaterThanOrEqualTo(40);
  }

  @Test
  void aChangeAnnouncedByAnyInstanceIsReadAgain() {
    answers.put("tr-a", new JsonObject().put("status", "active").put("key_id", UUID.randomUUID().toString()));
    RemoteAuthenticator auth = authenticator(100);
    identity(auth, "tr-a");
    answers.put("tr-a", new JsonObject().put("status", "revoked"));

    auth.invalidate(ApiKeys.hash("tr-a"));

    assertThat(refusal(auth, "tr-a")).isInstanceOf(AuthException.class);
  }

  @Test
  void aMissingKeyIsRefusedWithoutAskingTheAuthority() {
    assertThat(refusal(authenticator(100), null)).isInstanceOf(AuthException.class)
        .hasMessageStartingWith("You didn't provide an API key.");
    assertThat(asked).isEmpty();
  }
}
