package io.tokenrouter.store;

import io.tokenrouter.usage.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import javax.sql.DataSource;

/** The requests table, written in batches. Blocking JDBC: call it from a worker thread. */
public final class RequestRepository {
  /*
   * Idempotent on the record's id, which the gateway generates once per request: a batch may
   * be written twice (its commit reached the database but the acknowledgement was lost, so it
   * was spooled; or the process died between a spool replay's commit and the spool's
   * truncation), and the second write must neither fail nor duplicate. Plain
   * "ON CONFLICT DO NOTHING" is the one spelling both PostgreSQL and H2 (in its PostgreSQL
   * mode) accept; H2 rejects a conflict target, and id is the table's only unique key anyway.
   */
  private static final String INSERT = "INSERT INTO requests (id, request_id, api_key_id, model, provider,"
      + " upstream_model, stream, status, error_type, prompt_tokens, completion_tokens, cache_read_tokens,"
      + " cache_write_tokens, usage_estimated, latency_ms, ttft_ms, created_at)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  private final DataSource ds;

  public RequestRepository(DataSource ds) {
    this.ds = ds;
  }

  /**
   * Writes all records in one transaction: either every row lands or none does. Records whose
   * id is already stored are skipped, so writing the same batch again changes nothing.
   */
  public void insertAll(List<UsageRecord> records) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (UsageRecord r : records) {
          ps.setObject(1, r.id());
          ps.setString(2, r.requestId());
          ps.setObject(3, r.apiKeyId());
          ps.setString(4, clip(r.model(), 100));
          ps.setString(5, clip(r.provider(), 64));
          ps.setString(6, clip(r.upstreamModel(), 100));
          ps.setBoolean(7, r.stream());
          ps.setShort(8, (short) r.status());
          ps.setString(9, clip(r.errorType(), 64));
          ps.setInt(10, r.usage().promptTokens());
          ps.setInt(11, r.usage().completionTokens());
          ps.setInt(12, r.usage().cacheReadTokens());
          ps.setInt(13, r.usage().cacheWriteTokens());
          ps.setBoolean(14, r.usage().estimated());
          ps.setInt(15, r.latencyMs());
          if (r.ttftMs() == null) {
            ps.setNull(16, Types.INTEGER);
          } else {
            ps.setInt(16, r.ttftMs());
          }
          ps.setTimestamp(17, Timestamp.from(r.createdAt()));
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("writing " + records.size() + " request records", e);
    }
  }

  /**
   * Cuts a value to its column's width. The model name is whatever the client sent (it is
   * recorded even when refused as unknown), and one over-long value would otherwise fail its
   * whole batch on every retry.
   */
  private static String clip(String value, int width) {
    return value == null || value.length() <= width ? value : value.substring(0, width);
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
