package io.tokenrouter.store;

import io.tokenrouter.usage.UsageRecord;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Rolls the requests a batch has just inserted into {@code daily_usage} and {@code cache_stats},
 * in the batch's transaction, so reports read a few rows per day instead of scanning
 * {@code requests}. Only requests that reached a provider are rolled up (refused ones used
 * nothing), and under the provider's model name, the one they were priced by.
 *
 * <p>Callers pass only the records the batch actually inserted: a replayed record is skipped by
 * the idempotent insert, and must not be counted a second time here.
 */
final class UsageRollups {
  /*
   * Appended, never updated: each batch adds its own partial sums for (day, user, key, model,
   * provider), and readers SUM the rows of a key. Two instances writing the same key at once
   * then never contend or conflict, and the table needs no unique index (a TimescaleDB
   * hypertable could only have one that includes `time`).
   */
  private static final String APPEND_DAILY = "INSERT INTO daily_usage (time, user_id, api_key_id, project, model,"
      + " provider, prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens, request_count, cost_usd,"
      + " cache_hit_count, saved_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  /*
   * One row per (user, model, provider, date), kept by an upsert both engines run the same way
   * (H2 has no ON CONFLICT DO UPDATE, and PostgreSQL's MERGE fails with a unique violation when
   * two transactions insert the same key): add to the row; if there is none, insert it, and if a
   * concurrent transaction inserted it first (the insert waits for it and then does nothing),
   * add to that row. No exception is raised, so the transaction stays usable on PostgreSQL.
   */
  private static final String ADD_CACHE_STATS = "UPDATE cache_stats SET hit_count = hit_count + ?,"
      + " miss_count = miss_count + ?, saved_tokens = saved_tokens + ?, saved_usd = saved_usd + ?,"
      + " written_tokens = written_tokens + ? WHERE user_id = ? AND model = ? AND provider = ? AND date = ?";
  private static final String INSERT_CACHE_STATS = "INSERT INTO cache_stats (id, user_id, model, provider,"
      + " hit_count, miss_count, saved_tokens, saved_usd, written_tokens, date)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  /* Rows are locked in one global order, so two writers upserting overlapping days cannot deadlock. */
  private static final Comparator<CacheKey> LOCK_ORDER = Comparator.comparing(CacheKey::userId)
      .thenComparing(CacheKey::model).thenComparing(CacheKey::provider).thenComparing(CacheKey::date);

  private UsageRollups() {}

  static void append(Connection c, List<UsageRecord> inserted) throws SQLException {
    appendDaily(c, inserted);
    addCacheStats(c, inserted);
    StatusRollups.append(c, inserted);
  }

  private record DailyKey(Instant day, UUID userId, UUID apiKeyId, String project, String model, String provider) {}

  private static final class Daily {
    long prompt;
    long completion;
    long cacheRead;
    long cacheWrite;
    int requests;
    BigDecimal cost = BigDecimal.ZERO;
    int cacheHits;
    BigDecimal saved = BigDecimal.ZERO;
  }

  private static void appendDaily(Connection c, List<UsageRecord> inserted) throws SQLException {
    Map<DailyKey, Daily> sums = new LinkedHashMap<>();
    for (UsageRecord r : inserted) {
      if (r.provider() == null) {
        continue;
      }
      DailyKey key = new DailyKey(day(r.createdAt()).atStartOfDay().toInstant(ZoneOffset.UTC), r.userId(),
          r.apiKeyId(), r.project(), pricedModel(r), r.provider());
      Daily d = sums.computeIfAbsent(key, k -> new Daily());
      d.prompt += r.usage().promptTokens();
      d.completion += r.usage().completionTokens();
      d.cacheRead += r.usage().cacheReadTokens();
      d.cacheWrite += r.usage().cacheWriteTokens();
      d.requests++;
      d.cost = d.cost.add(r.cost());
      d.cacheHits += r.usage().cacheReadTokens() > 0 && !r.dedupHit() ? 1 : 0;
      d.saved = d.saved.add(r.savedByCache());
    }
    if (sums.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(APPEND_DAILY)) {
      for (Map.Entry<DailyKey, Daily> e : sums.entrySet()) {
        DailyKey k = e.getKey();
        Daily d = e.getValue();
        ps.setObject(1, k.day().atOffset(ZoneOffset.UTC));
        ps.setObject(2, k.userId());
        ps.setObject(3, k.apiKeyId());
        ps.setString(4, k.project());
        ps.setString(5, k.model());
        ps.setString(6, k.provider());
        ps.setLong(7, d.prompt);
        ps.setLong(8, d.completion);
        ps.setLong(9, d.cacheRead);
        ps.setLong(10, d.cacheWrite);
        ps.setInt(11, d.requests);
        ps.setBigDecimal(12, d.cost);
        ps.setInt(13, d.cacheHits);
        ps.setBigDecimal(14, d.saved);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private record CacheKey(UUID userId, String model, String provider, LocalDate date) {}

  private static final class CacheSums {
    int hits;
    int misses;
    long savedTokens;
    BigDecimal savedUsd = BigDecimal.ZERO;
    long writtenTokens;
  }

  /**
   * Requests of keys with a user that sent a prompt: a hit when any of it was read from the
   * provider's cache, else a miss. A request that failed before the provider counted its
   * prompt was no cache lookup and counts as neither; nor was one answered with another's
   * upstream call (a dedup hit), whose usage is that other call's.
   */
  private static void addCacheStats(Connection c, List<UsageRecord> inserted) throws SQLException {
    Map<CacheKey, CacheSums> sums = new TreeMap<>(LOCK_ORDER);
    for (UsageRecord r : inserted) {
      if (r.userId() == null || r.provider() == null || r.usage().promptTokens() == 0 || r.dedupHit()) {
        continue;
      }
      CacheSums s = sums.computeIfAbsent(new CacheKey(r.userId(), pricedModel(r), r.provider(),
          day(r.createdAt())), k -> new CacheSums());
      int read = r.usage().cacheReadTokens();
      if (read > 0) {
        s.hits++;
      } else {
        s.misses++;
      }
      s.savedTokens += read;
      s.savedUsd = s.savedUsd.add(r.savedByCache());
      s.writtenTokens += r.usage().cacheWriteTokens();
    }
    if (sums.isEmpty()) {
      return;
    }
    try (PreparedStatement add = c.prepareStatement(ADD_CACHE_STATS);
        PreparedStatement insert = c.prepareStatement(INSERT_CACHE_STATS)) {
      for (Map.Entry<CacheKey, CacheSums> e : sums.entrySet()) {
        upsert(add, insert, e.getKey(), e.getValue());
      }
    }
  }

  private static void upsert(PreparedStatement add, PreparedStatement insert, CacheKey k, CacheSums s)
      throws SQLException {
    add.setInt(1, s.hits);
    add.setInt(2, s.misses);
    add.setLong(3, s.savedTokens);
    add.setBigDecimal(4, s.savedUsd);
    add.setLong(5, s.writtenTokens);
    add.setObject(6, k.userId());
    add.setString(7, k.model());
    add.setString(8, k.provider());
    add.setObject(9, k.date());
    if (add.executeUpdate() > 0) {
      return;
    }
    insert.setObject(1, UUID.randomUUID());
    insert.setObject(2, k.userId());
    insert.setString(3, k.model());
    insert.setString(4, k.provider());
    insert.setInt(5, s.hits);
    insert.setInt(6, s.misses);
    insert.setLong(7, s.savedTokens);
    insert.setBigDecimal(8, s.savedUsd);
    insert.setLong(9, s.writtenTokens);
    insert.setObject(10, k.date());
    if (insert.executeUpdate() > 0) {
      return;
    }
    if (add.executeUpdate() == 0) {
      throw new SQLException("cache_stats row for " + k + " neither updated nor inserted");
    }
  }

  /** The name the request was priced by; the client's name only if a record lacks it (model is NOT NULL). */
  private static String pricedModel(UsageRecord r) {
    return r.upstreamModel() == null ? r.model() : r.upstreamModel();
  }

  private static LocalDate day(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }
}
