package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The api_keys table on H2 and on PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyRepositoryTest {
  private final List<TestDatabase> databases = TestDatabases.both();

  Stream<TestDatabase> databases() {
    return databases.stream();
  }

  @AfterAll
  void dropDatabases() {
    databases.forEach(TestDatabase::drop);
  }

  private static StoredKey key(String hash, Instant createdAt) {
    return new StoredKey(UUID.randomUUID(), "k", hash, "tr-abcdefg", List.of(), false, null, createdAt, null, null,
        null);
  }

  private static String randomHash() {
    return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void everyColumnReadsBackAsWritten(TestDatabase db) {
    ApiKeyRepository keys = new ApiKeyRepository(db.dataSource());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    StoredKey key = new StoredKey(UUID.randomUUID(), "ci", randomHash(), "tr-1234567", List.of("m", "n"), false,
        now.plus(1, ChronoUnit.DAYS), now, UUID.randomUUID(), "search", new Limits(60, 120_000, 4, 10, 8000,
            1000, new BigDecimal("5.500000"), new BigDecimal("100.000000")), List.of("arranger", "dedup"));

    keys.insert(key);

    assertThat(keys.findByHash(key.keyHash())).contains(key);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void limitsLeftOutReadBackAsNull(TestDatabase db) {
    ApiKeyRepository keys = new ApiKeyRepository(db.dataSource());
    StoredKey key = key(randomHash(), Instant.now().truncatedTo(ChronoUnit.MILLIS));

    keys.insert(key);

    StoredKey found = keys.findByHash(key.keyHash()).orElseThrow();
    assertThat(found.limits()).isEqualTo(Limits.NONE);
    assertThat(found.userId()).isNull();
    assertThat(found.models()).isEmpty();
    assertThat(found.pipelineOff()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void anUnknownHashFindsNothing(TestDatabase db) {
    assertThat(new ApiKeyRepository(db.dataSource()).findByHash(randomHash())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aSecondKeyWithTheSameHashIsRefused(TestDatabase db) {
    ApiKeyRepository keys = new ApiKeyRepository(db.dataSource());
    String hash = randomHash();
    keys.insert(key(hash, Instant.now()));

    assertThatThrownBy(() -> keys.insert(key(hash, Instant.now()))).isInstanceOf(StoreException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void listIsInCreationOrder(TestDatabase db) {
    ApiKeyRepository keys = new ApiKeyRepository(db.dataSource());
    Instant base = Instant.parse("2001-01-01T00:00:00Z");
    StoredKey later = key(randomHash(), base.plusSeconds(1));
    StoredKey earlier = key(randomHash(), base);
    keys.insert(later);
    keys.insert(earlier);

    List<UUID> ids = keys.list().stream().map(StoredKey::id).toList();

    assertThat(ids).containsSubsequence(earlier.id(), later.id());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void revokeMarksThatKeyOnly(TestDatabase db) {
    ApiKeyRepository keys = new ApiKeyRepository(db.dataSource());
    StoredKey revoked = key(randomHash(), Instant.now());
    StoredKey kept = key(randomHash(), Instant.now());
    keys.insert(revoked);
    keys.insert(kept);

    assertThat(keys.revoke(revoked.id())).contains(revoked.keyHash());

    assertThat(keys.findByHash(revoked.keyHash()).orElseThrow().revoked()).isTrue();
    assertThat(keys.findByHash(kept.keyHash()).orElseThrow().revoked()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void revokingAnUnknownIdReportsIt(TestDatabase db) {
    assertThat(new ApiKeyRepository(db.dataSource()).revoke(UUID.randomUUID())).isEmpty();
  }
}
