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
  private static final String INSERT = "INSERT INTO requests (id, request_id, api_key_id, model, provider,"
      + " upstream_model, stream, status, error_type, prompt_tokens, completion_tokens, cache_read_tokens,"
      + " cache_write_tokens, usage_estimated, latency_ms, ttft_ms, created_at)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private final DataSource ds;

  public RequestRepository(DataSource ds) {
    this.ds = ds;
  }

  /** Writes all records in one transaction: either every row lands or none does. */
  public void insertAll(List<UsageRecord> records) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (UsageRecord r : records) {
          ps.setObject(1, r.id());
          ps.setString(2, r.requestId());
          ps.setObject(3, r.apiKeyId());
          ps.setString(4, r.model());
          ps.setString(5, r.provider());
          ps.setString(6, r.upstreamModel());
          ps.setBoolean(7, r.stream());
          ps.setShort(8, (short) r.status());
          ps.setString(9, r.errorType());
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
