package io.tokenrouter.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.cluster.RedisClients;
import io.tokenrouter.support.TestRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The same specification for the in-process and the Redis counters. */
class CounterStoreTest {
  private static final Vertx vertx = Vertx.vertx();

  static Stream<Arguments> stores() {
    return Stream.of(
        Arguments.of("in-process", (Function<Vertx, CounterStore>) v -> new LocalCounterStore()),
        Arguments.of("redis", (Function<Vertx, CounterStore>) v -> {
          TestRedis.require();
          return new RedisCounterStore(RedisClients.create(v, TestRedis.URL, 8, 1000));
        }));
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private static String key() {
    return "test:" + UUID.randomUUID();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void windowAdmitsExactlyTheLimitUnderConcurrency(String name, Function<Vertx, CounterStore> factory) {
    CounterStore store = factory.apply(vertx);
    String key = key();
    List<Future<WindowResult>> hits = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      hits.add(store.hit(key, 1, 10, Duration.ofMinutes(1)));
    }

    Future.all(hits).await();

    assertThat(hits.stream().filter(f -> f.result().allowed()).count()).isEqualTo(10);
    assertThat(hits.stream().filter(f -> !f.result().allowed()))
        .allSatisfy(f -> assertThat(f.result().remaining()).isZero());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void windowReportsRemainingAndReset(String name, Function<Vertx, CounterStore> factory) {
    CounterStore store = factory.apply(vertx);
    String key = key();

    WindowResult r = store.hit(key, 3, 10, Duration.ofSeconds(30)).await();

    assertThat(r.allowed()).isTrue();
    assertThat(r.remaining()).isEqualTo(7);
    assertThat(r.resetIn()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void costThatWouldOvershootIsRefusedWithoutCounting(String name, Function<Vertx, CounterStore> factory) {
    CounterStore store = factory.apply(vertx);
    String key = key();
    store.hit(key, 8, 10, Duration.ofMinutes(1)).await();

    assertThat(store.hit(key, 5, 10, Duration.ofMinutes(1)).await().allowed()).isFalse();
    assertThat(store.hit(key, 2, 10, Duration.ofMinutes(1)).await().allowed()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aChargeTakesWhatRoomIsLeftWhenItIsAtLeastTheMinimum(String name, Function<Vertx, CounterStore> factory) {
    CounterStore store = factory.apply(vertx);
    String key = key();
    long limit = 300_000_000_000_000L;
    Duration day = Duration.ofDays(1);

    WindowResult first = store.charge(key, 10, 200_000_000_000_000L, limit, day, 0L).await();
    WindowResult second = store.charge(key, 10, 200_000_000_000_000L, limit, day, 0L).await();
    WindowResult third = store.charge(key, 10, 200_000_000_000_000L, limit, day, 0L).await();

    assertThat(first.granted()).isEqualTo(200_000_000_000_000L);
    assertThat(second.allowed()).isTrue();
    assertThat(second.granted()).as("the rest, up to the limit").isEqualTo(100_000_000_000_000L);
    assertThat(second.used()).isEqualTo(limit);
    assertThat(third.allowed()).as("not even the minimum left").isFalse();
    assertThat(third.granted()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void windowStartsAgainAfterItEnds(String name, Function<Vertx, CounterStore> factory) throws Exception {
    CounterStore store = factory.apply(vertx);
    String key = key();
    store.hit(key, 1, 1, Duration.ofMillis(150)).await();
    assertThat(store.hit(key, 1, 1, Duration.ofMillis(150)).await().allowed()).isFalse();

    Thread.sleep(250);

    assertThat(store.hit(key, 1, 1, Duration.ofMillis(150)).await().allowed()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void slotsAreLimitedAndComeBackOnRelease(String name, Function<Vertx, CounterStore> factory) {
    CounterStore store = factory.apply(vertx);
    String key = key();

    assertThat(store.acquire(key, "a", 2, Duration.ofMinutes(1)).await()).isTrue();
    assertThat(store.acquire(key, "b", 2, Duration.ofMinutes(1)).await()).isTrue();
    assertThat(store.acquire(key, "c", 2, Duration.ofMinutes(1)).await()).isFalse();
    store.release(key, "a").await();
    assertThat(store.acquire(key, "c", 2, Duration.ofMinutes(1)).await()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void slotOfAHolderThatNeverReleasedExpires(String name, Function<Vertx, CounterStore> factory) throws Exception {
    CounterStore store = factory.apply(vertx);
    String key = key();
    store.acquire(key, "crashed", 1, Duration.ofMillis(150)).await();

    Thread.sleep(250);

    assertThat(store.acquire(key, "next", 1, Duration.ofMinutes(1)).await()).isTrue();
  }
}
