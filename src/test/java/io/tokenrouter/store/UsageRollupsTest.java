package io.tokenrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.reply.Usage;
import io.tokenrouter.support.TestDatabase;
import io.tokenrouter.support.TestDatabases;
import io.tokenrouter.usage.UsageRecord;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The roll-ups a request batch writes on H2 and PostgreSQL: daily_usage sums, the cache_stats
 * upsert, and no double counting when a batch is written again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageRollupsTest {
  private static final Instant MORNING = Instant.parse("2025-03-04T08:00:00Z");
  private static final Instant LATE = Instant.parse("2025-03-04T23:59:59.999Z");
  private static final Instant NEXT_DAY = Instant.parse("2025-03-05T00:00:00Z");
  private final List<TestDatabase> databases = TestDatabases.both();

  Stream<TestDatabase> databases() {
    return databases.stream();
  }

  @AfterAll
  void dropDatabases() {
    databases.forEach(TestDatabase::drop);
  }

  private static UsageRecord record(UUID user, UUID key, String provider, Usage usage, String cost, String saved,
      Instant at) {
    return new UsageRecord(UUID.randomUUID(), "req-" + UUID.randomUUID(), key, user, "proj", "alias", provider,
        "gpt-4o-2024-08-06", false, 200, null, usage, new BigDecimal(cost), new BigDecimal(saved), 10, null, at);
  }

  private static UsageRecord dedupHit(UUID user, UUID key, Usage usage, String cost, Instant at) {
    return new UsageRecord(UUID.randomUUID(), "req-" + UUID.randomUUID(), key, user, "proj", "alias", "openai",
        "gpt-4o-2024-08-06", false, 200, null, usage, new BigDecimal(cost), BigDecimal.ZERO, 10, null, at, null, null,
        true, null);
  }

  /** Sums of every daily_usage row of one user, per day: how reports read the appended partial rows. */
  private static Map<LocalDate, List<Object>> daily(TestDatabase db, UUID user) throws SQLException {
    String sql = "SELECT time, SUM(prompt_tokens), SUM(completion_tokens), SUM(cache_read_tokens),"
        + " SUM(cache_write_tokens), SUM(request_count), SUM(cost_usd), SUM(cache_hit_count), MIN(model)"
        + " FROM daily_usage WHERE user_id = ? GROUP BY time";
    Map<LocalDate, List<Object>> days = new HashMap<>();
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, user);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OffsetDateTime time = rs.getObject(1, OffsetDateTime.class);
          assertThat(time.toInstant()).isEqualTo(time.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC));
          days.put(LocalDate.ofInstant(time.toInstant(), ZoneOffset.UTC), List.of(rs.getLong(2), rs.getLong(3),
              rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getBigDecimal(7).stripTrailingZeros().toPlainString(),
              rs.getLong(8), rs.getString(9)));
        }
      }
    }
    return days;
  }

  /** hit_count, miss_count, saved_tokens, saved_usd of one user's cache_stats row for a day. */
  private static List<Object> cacheStats(TestDatabase db, UUID user, LocalDate day) throws SQLException {
    String sql = "SELECT hit_count, miss_count, saved_tokens, saved_usd, model, provider FROM cache_stats"
        + " WHERE user_id = ? AND date = ?";
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, user);
      ps.setObject(2, day);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return List.of();
        }
        List<Object> row = List.of(rs.getInt(1), rs.getInt(2), rs.getLong(3),
            rs.getBigDecimal(4).stripTrailingZeros().toPlainString(), rs.getString(5), rs.getString(6));
        assertThat(rs.next()).as("one cache_stats row per user, model, provider and day").isFalse();
        return row;
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aBatchIsRolledUpPerUtcDayUnderTheProvidersModelName(TestDatabase db) throws SQLException {
    UUID user = UUID.randomUUID();
    UUID key = UUID.randomUUID();
    new RequestRepository(db.dataSource()).insertAll(List.of(
        record(user, key, "openai", new Usage(1200, 300, 1024, 0, false), "0.00472", "0.00128", MORNING),
        record(user, key, "openai", new Usage(100, 10, 0, 0, false), "0.00035", "0", LATE),
        record(user, key, "openai", new Usage(2000, 20, 0, 0, false), "0.0052", "0", NEXT_DAY),
        record(user, key, null, Usage.NONE, "0", "0", MORNING)));

    assertThat(daily(db, user)).isEqualTo(Map.of(
        LocalDate.parse("2025-03-04"), List.of(1300L, 310L, 1024L, 0L, 2L, "0.00507", 1L, "gpt-4o-2024-08-06"),
        LocalDate.parse("2025-03-05"), List.of(2000L, 20L, 0L, 0L, 1L, "0.0052", 0L, "gpt-4o-2024-08-06")));
    assertThat(cacheStats(db, user, LocalDate.parse("2025-03-04")))
        .isEqualTo(List.of(1, 1, 1024L, "0.00128", "gpt-4o-2024-08-06", "openai"));
    assertThat(cacheStats(db, user, LocalDate.parse("2025-03-05")))
        .isEqualTo(List.of(0, 1, 0L, "0", "gpt-4o-2024-08-06", "openai"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void laterBatchesAddToTheDaysCacheStatsRowAndAppendTheirOwnDailyRows(TestDatabase db) throws SQLException {
    UUID user = UUID.randomUUID();
    UUID key = UUID.randomUUID();
    RequestRepository requests = new RequestRepository(db.dataSource());

    for (int i = 0; i < 3; i++) {
      requests.insertAll(List.of(
          record(user, key, "openai", new Usage(1200, 300, 1024, 0, false), "0.0047200000", "0.0012800000", MORNING)));
    }

    assertThat(daily(db, user).get(LocalDate.parse("2025-03-04")))
        .isEqualTo(List.of(3600L, 900L, 3072L, 0L, 3L, "0.01416", 3L, "gpt-4o-2024-08-06"));
    assertThat(cacheStats(db, user, LocalDate.parse("2025-03-04")))
        .isEqualTo(List.of(3, 0, 3072L, "0.00384", "gpt-4o-2024-08-06", "openai"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aReplayedBatchIsRolledUpOnlyForTheRecordsItAdds(TestDatabase db) throws SQLException {
    UUID user = UUID.randomUUID();
    UUID key = UUID.randomUUID();
    RequestRepository requests = new RequestRepository(db.dataSource());
    List<UsageRecord> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(record(user, key, "openai", new Usage(1200, 300, 1024, 0, false), "0.00472", "0.00128", MORNING));
    }
    requests.insertAll(batch.subList(0, 2));

    requests.insertAll(batch);
    requests.insertAll(batch);

    assertThat(daily(db, user).get(LocalDate.parse("2025-03-04")))
        .isEqualTo(List.of(6000L, 1500L, 5120L, 0L, 5L, "0.0236", 5L, "gpt-4o-2024-08-06"));
    assertThat(cacheStats(db, user, LocalDate.parse("2025-03-04")))
        .isEqualTo(List.of(5, 0, 5120L, "0.0064", "gpt-4o-2024-08-06", "openai"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void cacheWritesAndTheNetSavingAreRolledUpPerUserAndPerKey(TestDatabase db) throws SQLException {
    UUID user = UUID.randomUUID();
    UUID key = UUID.randomUUID();
    new RequestRepository(db.dataSource()).insertAll(List.of(
        record(user, key, "anthropic", new Usage(5000, 10, 0, 4000, false), "0.02", "-0.003", MORNING),
        record(user, key, "anthropic", new Usage(5100, 10, 4000, 100, false), "0.005", "0.010725", MORNING)));

    assertThat(cacheStatsWrites(db, user, LocalDate.parse("2025-03-04"))).isEqualTo(List.of(4100L, "0.007725"));
    assertThat(keySavings(db, key)).isEqualTo("0.007725");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aDedupHitIsBilledButIsNoCacheLookup(TestDatabase db) throws SQLException {
    UUID user = UUID.randomUUID();
    UUID key = UUID.randomUUID();
    new RequestRepository(db.dataSource()).insertAll(List.of(
        record(user, key, "openai", new Usage(1200, 300, 1024, 0, false), "0.00472", "0.00128", MORNING),
        dedupHit(user, key, new Usage(1200, 300, 1024, 0, false), "0.00472", MORNING)));

    assertThat(daily(db, user).get(LocalDate.parse("2025-03-04")))
        .isEqualTo(List.of(2400L, 600L, 2048L, 0L, 2L, "0.00944", 1L, "gpt-4o-2024-08-06"));
    assertThat(cacheStats(db, user, LocalDate.parse("2025-03-04")))
        .isEqualTo(List.of(1, 0, 1024L, "0.00128", "gpt-4o-2024-08-06", "openai"));
  }

  private static List<Object> cacheStatsWrites(TestDatabase db, UUID user, LocalDate day) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT written_tokens, saved_usd FROM cache_stats"
            + " WHERE user_id = ? AND date = ?")) {
      ps.setObject(1, user);
      ps.setObject(2, day);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return List.of(rs.getLong(1), rs.getBigDecimal(2).stripTrailingZeros().toPlainString());
      }
    }
  }

  private static String keySavings(TestDatabase db, UUID key) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT SUM(saved_usd) FROM daily_usage WHERE api_key_id = ?")) {
      ps.setObject(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBigDecimal(1).stripTrailingZeros().toPlainString();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void writersRacingOnANewDayLoseNoCount(TestDatabase db) throws Exception {
    UUID user = UUID.randomUUID();
    int writers = 4;
    int rounds = 10;
    CyclicBarrier start = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        RequestRepository requests = new RequestRepository(db.dataSource());
        done.add(pool.submit(() -> {
          start.await();
          for (int r = 0; r < rounds; r++) {
            requests.insertAll(List.of(
                record(user, UUID.randomUUID(), "openai", new Usage(100, 1, 64, 0, false), "0.0001", "0.00008",
                    MORNING.plusSeconds(r * 86_400L)),
                record(user, UUID.randomUUID(), "openai", new Usage(100, 1, 0, 0, false), "0.0002", "0",
                    MORNING.plusSeconds(r * 86_400L))));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }

    for (int r = 0; r < rounds; r++) {
      assertThat(cacheStats(db, user, LocalDate.parse("2025-03-04").plusDays(r)))
          .isEqualTo(List.of(writers, writers, 64L * writers, "0.00032", "gpt-4o-2024-08-06", "openai"));
    }
  }
}
