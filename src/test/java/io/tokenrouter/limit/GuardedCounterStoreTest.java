package io.tokenrouter.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.cluster.RedisClients;
import io.tokenrouter.config.RedisConfig.FailMode;
import io.tokenrouter.support.TestRedis;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What limits do when Redis cannot be reached, and that they recover without a restart. */
class GuardedCounterStoreTest {
  private static final Vertx vertx = Vertx.vertx();
  private final List<String> transitions = new ArrayList<>();

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private GuardedCounterStore guarded(String url, FailMode mode) {
    return new GuardedCounterStore(new RedisCounterStore(RedisClients.create(vertx, url, 8, 200)), vertx, mode,
        Duration.ofSeconds(2), new GuardedCounterStore.StateListener() {
          @Override
          public void unavailable(boolean down) {
            transitions.add(down ? "down" : "up");
          }

          @Override
          public void fellBack(FailMode m) {
            transitions.add("fallback-" + m);
          }
        });
  }

  @Test
  void unreachableRedisFailsOpenByLettingRequestsThrough() {
    GuardedCounterStore store = guarded("redis://127.0.0.1:1", FailMode.OPEN);

    assertThat(store.hit("k", 1, 1, Duration.ofMinutes(1)).await().allowed()).isTrue();
    assertThat(store.acquire("k", "l", 1, Duration.ofMinutes(1)).await()).isTrue();
    assertThat(transitions).containsExactly("down", "fallback-OPEN", "fallback-OPEN");
  }

  @Test
  void unreachableRedisFailsClosedWhenConfigured() {
    GuardedCounterStore store = guarded("redis://127.0.0.1:1", FailMode.CLOSED);

    assertThatThrownBy(() -> store.hit("k", 1, 1, Duration.ofMinutes(1)).await())
        .isInstanceOf(CountersUnavailableException.class);
  }

  @Test
  void reachableRedisCountsForReal() {
    TestRedis.require();
    GuardedCounterStore store = guarded(TestRedis.URL, FailMode.CLOSED);
    String key = "test:" + UUID.randomUUID();

    assertThat(store.hit(key, 1, 1, Duration.ofMinutes(1)).await().allowed()).isTrue();
    assertThat(store.hit(key, 1, 1, Duration.ofMinutes(1)).await().allowed()).isFalse();
    assertThat(transitions).isEmpty();
  }
}
