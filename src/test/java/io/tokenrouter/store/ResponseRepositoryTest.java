package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Kept Responses API responses, on H2 and PostgreSQL: scoped to their key, expiring, deleted. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseRepositoryTest {
  private final List<TestDatabase> databases = TestDatabases.both();
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  Stream<TestDatabase> databases() {
    return databases.stream();
  }

  @AfterAll
  void drop() {
    databases.forEach(TestDatabase::drop);
  }

  private static ResponseRepository.Stored stored(UUID key, Instant at) {
    return new ResponseRepository.Stored("resp_" + UUID.randomUUID(), key, "{\"id\":1}", "[{\"type\":\"message\"}]", at);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aResponseIsFoundOnlyByItsKeyAndWhileRetained(TestDatabase db) {
    ResponseRepository repository = new ResponseRepository(db.dataSource());
    UUID key = UUID.randomUUID();
    ResponseRepository.Stored kept = stored(key, now);
    repository.insert(kept);

    assertThat(repository.find(kept.id(), key, now.minus(Duration.ofDays(1)))).contains(kept);
    assertThat(repository.find(kept.id(), UUID.randomUUID(), now.minus(Duration.ofDays(1)))).isEmpty();
    assertThat(repository.find(kept.id(), key, now.plusSeconds(1))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void deleteNeedsTheKeyThatMadeIt(TestDatabase db) {
    ResponseRepository repository = new ResponseRepository(db.dataSource());
    UUID key = UUID.randomUUID();
    ResponseRepository.Stored kept = stored(key, now);
    repository.insert(kept);

    assertThat(repository.delete(kept.id(), UUID.randomUUID())).isFalse();
    assertThat(repository.delete(kept.id(), key)).isTrue();
    assertThat(repository.find(kept.id(), key, Instant.EPOCH)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void purgeRemovesOnlyExpiredResponses(TestDatabase db) {
    ResponseRepository repository = new ResponseRepository(db.dataSource());
    UUID key = UUID.randomUUID();
    ResponseRepository.Stored old = stored(key, now.minus(Duration.ofDays(40)));
    ResponseRepository.Stored recent = stored(key, now);
    repository.insert(old);
    repository.insert(recent);

    assertThat(repository.deleteOlderThan(now.minus(Duration.ofDays(30)))).isGreaterThanOrEqualTo(1);
    assertThat(repository.find(old.id(), key, Instant.EPOCH)).isEmpty();
    assertThat(repository.find(recent.id(), key, Instant.EPOCH)).contains(recent);
  }
}
