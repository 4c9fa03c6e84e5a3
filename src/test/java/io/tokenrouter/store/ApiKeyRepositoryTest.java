package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
            1000, new BigDecimal("5.500000"), new BigDecimal("100.000000")), false, List.of("arranger", "dedup"));

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
  void listIsNewestFirstAndPaged(TestDatabase db) {
    ApiKeyRepository keys = new ApiKeyRepository(db.dataSource());
    String project = "p-" + UUID.randomUUID();
    Instant base = Instant.parse("2001-01-01T00:00:00Z");
    List<StoredKey> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      StoredKey k = withProject(key(randomHash(), base.plusSeconds(i)), project);
      keys.insert(k);
      made.add(k);
    }

    Page<StoredKey> first = keys.list(new KeyQuery(null, project, null, null, Instant.now(), 0, 2));
    Page<StoredKey> second = keys.list(new KeyQuery(null, project, null, null, Instant.now(), 2, 2));

    assertThat(first.items()).extracting(StoredKey::id).containsExactly(made.get(2).id(), made.get(1).id());
    assertThat(first.total()).isEqualTo(3);
    assertThat(first.hasMore()).isTrue();
    assertThat(second.items()).extracting(StoredKey::id).containsExactly(made.get(0).id());
    assertThat(second.hasMore()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void listFiltersByState(TestDatabase db) {
    ApiKeyRepository keys = new ApiKeyRepository(db.dataSource());
    String project = "p-" + UUID.randomUUID();
    Instant now = Instant.now();
    StoredKey active = withProject(key(randomHash(), now), project);
    StoredKey disabled = new StoredKey(UUID.randomUUID(), "k", randomHash(), "tr-abcdefg", List.of(), false, null, now,
        null, project, null, true, List.of());
    StoredKey revoked = new StoredKey(UUID.randomUUID(), "k", randomHash(), "tr-abcdefg", List.of(), true, null, now,
        null, project, null);
    StoredKey expired = new StoredKey(UUID.randomUUID(), "k", randomHash(), "tr-abcdefg", List.of(), false,
        now.minusSeconds(1), now, null, project, null);
    for (StoredKey k : List.of(active, disabled, revoked, expired)) {
      keys.insert(k);
    }

    for (KeyState state : KeyState.values()) {
      StoredKey expected = switch (state) {
        case ACTIVE -> active;
        case DISABLED -> disabled;
        case REVOKED -> revoked;
        case EXPIRED -> expired;
      };
      assertThat(keys.list(new KeyQuery(null, project, state, null, now, 0, 10)).items()).as(state.label())
          .extracting(StoredKey::id).containsExactly(expected.id());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void updateChangesTheMutableColumnsOnly(TestDatabase db) {
    ApiKeyRepository keys = new ApiKeyRepository(db.dataSource());
    StoredKey key = key(randomHash(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    keys.insert(key);
    StoredKey changed = new StoredKey(key.id(), "renamed", key.keyHash(), key.keyPrefix(), List.of("gpt-4o*"), true,
        key.createdAt().plus(1, ChronoUnit.DAYS), key.createdAt(), null, "search",
        new Limits(10, null, null, null, null, null, new BigDecimal("1.500000"), null), true, List.of());

    new Transactions(db.dataSource()).run("updating", c -> {
      keys.update(c, changed);
      return null;
    });

    assertThat(keys.find(key.id())).contains(changed);
  }

  private static StoredKey withProject(StoredKey k, String project) {
    return new StoredKey(k.id(), k.name(), k.keyHash(), k.keyPrefix(), k.models(), k.revoked(), k.expiresAt(),
        k.createdAt(), k.userId(), project, k.limits(), k.disabled(), k.pipelineOff());
  }
}
