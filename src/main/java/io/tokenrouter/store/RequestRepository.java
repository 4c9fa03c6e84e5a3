package io.tokenrouter.store;

import io.tokenrouter.usage.RecordStore;
import io.tokenrouter.usage.RecordsRefused;
import io.tokenrouter.usage.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The requests table, written in batches. Blocking JDBC: call it from a worker thread. */
public final class RequestRepository implements RecordStore {
  /*
   * Idempotent on the record's id, which the gateway generates once per request: a batch may
   * be written twice (its commit reached the database but the acknowledgement was lost, so it
   * was spooled; or the process died between a spool replay's commit and the spool's
   * truncation), and the second write must neither fail nor duplicate. Plain
   * "ON CONFLICT DO NOTHING" is the one spelling both PostgreSQL and H2 (in its PostgreSQL
   * mode) accept; H2 rejects a conflict target, and id is the table's only unique key anyway.
   * Both drivers report a skipped row as a count of 0 in the batch result, which is how the
   * roll-ups learn which records are new.
   */
  private static final String INSERT = "INSERT INTO requests (id, request_id, api_key_id, user_id, project, model,"
      + " provider, upstream_model, stream, status, error_type, prompt_tokens, completion_tokens, cache_read_tokens,"
      + " cache_write_tokens, usage_estimated, cost_usd, latency_ms, ttft_ms, created_at, request_bytes, response_bytes,"
      + " dedup_hit, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT DO NOTHING";
  private final DataSource ds;

  public RequestRepository(DataSource ds) {
    this.ds = ds;
  }

  /**
   * Writes all records in one transaction, together with their roll-ups into daily_usage and
   * cache_stats: either everything lands or nothing does. Records whose id is already stored
   * are skipped and not rolled up again, so writing the same batch again changes nothing.
   */
  @Override
  public void insertAll(List<UsageRecord> records) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        UsageRollups.append(c, insertNew(c, records));
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      StoreException failure = new StoreException("writing " + records.size() + " request records", e);
      if (failure.dataRefused()) {
        throw new RecordsRefused(failure.sqlState(), failure.reason(), failure);
      }
      throw failure;
    } catch (AssertionError e) {
      // pgjdbc 42.7.8 under -ea reports a connection lost mid-batch this way (pgjdbc issue 1458,
      // fixed upstream by PR 4187); it is an outage like any other and must reach the spool, not
      // kill the writer thread.
      throw new StoreException("writing " + records.size() + " request records", e);
    }
  }

  /** The records that were inserted, leaving out those already stored. */
  private static List<UsageRecord> insertNew(Connection c, List<UsageRecord> records) throws SQLException {
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (UsageRecord r : records) {
        ps.setObject(1, r.id());
        ps.setString(2, r.requestId());
        ps.setObject(3, r.apiKeyId());
        ps.setObject(4, r.userId());
        ps.setString(5, r.project());
        ps.setString(6, r.model());
        ps.setString(7, r.provider());
        ps.setString(8, r.upstreamModel());
        ps.setBoolean(9, r.stream());
        ps.setShort(10, (short) r.status());
        ps.setString(11, r.errorType());
        ps.setInt(12, r.usage().promptTokens());
        ps.setInt(13, r.usage().completionTokens());
        ps.setInt(14, r.usage().cacheReadTokens());
        ps.setInt(15, r.usage().cacheWriteTokens());
        ps.setBoolean(16, r.usage().estimated());
        ps.setBigDecimal(17, r.cost());
        ps.setInt(18, r.latencyMs());
        if (r.ttftMs() == null) {
          ps.setNull(19, Types.INTEGER);
        } else {
          ps.setInt(19, r.ttftMs());
        }
        ps.setTimestamp(20, Timestamp.from(r.createdAt()));
        ps.setObject(21, r.requestBytes(), Types.BIGINT);
        ps.setObject(22, r.responseBytes(), Types.BIGINT);
        ps.setBoolean(23, r.dedupHit());
        ps.setString(24, r.attempts());
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    List<UsageRecord> inserted = new ArrayList<>(records.size());
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == Statement.SUCCESS_NO_INFO) {
        // e.g. PostgreSQL's reWriteBatchedInserts: without per-row counts a replay would be rolled up twice
        throw new SQLException("the JDBC driver did not report which request records were new;"
            + " do not enable batch rewriting on the database URL");
      }
      if (counts[i] > 0) {
        inserted.add(records.get(i));
      }
    }
    return inserted;
  }

  public long count() {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM requests");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("counting requests", e);
    }
  }
}
