package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The recent requests log: pages of the requests table newest first, by a cursor instead of an
 * offset, so the millionth row costs what the first does. Each filter shape has its index:
 * (created_at), (api_key_id, created_at), (user_id, created_at), (project, created_at).
 */
public final class RequestLog {
  private static final String COLUMNS = "r.id, r.request_id, r.created_at, r.api_key_id, k.name, r.user_id,"
      + " r.project, r.model, r.provider, r.upstream_model, r.stream, r.status, r.error_type, r.prompt_tokens,"
      + " r.completion_tokens, r.cache_read_tokens, r.cache_write_tokens, r.usage_estimated, r.cost_usd,"
      + " r.latency_ms, r.ttft_ms, r.attempts";
  private final DataSource ds;

  public RequestLog(DataSource ds) {
    this.ds = ds;
  }

  public List<RequestRow> recent(RequestQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS
        + " FROM requests r LEFT JOIN api_keys k ON k.id = r.api_key_id WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    filter(sql, params, "r.api_key_id", q.keyId());
    filter(sql, params, "r.user_id", q.userId());
    filter(sql, params, "r.project", q.project());
    filter(sql, params, "r.model", q.model());
    if (q.status() != null) {
      sql.append(" AND r.status = ?");
      params.add(q.status().shortValue());
    }
    if (q.failedOnly()) {
      sql.append(" AND r.status >= 400");
    }
    if (q.from() != null) {
      sql.append(" AND r.created_at >= ?");
      params.add(Timestamp.from(q.from()));
    }
    if (q.to() != null) {
      sql.append(" AND r.created_at < ?");
      params.add(Timestamp.from(q.to()));
    }
    if (q.before() != null) {
      Timestamp at = Timestamp.from(q.before().createdAt());
      // "<=" first: the index on created_at bounds the scan; the rest breaks ties within one instant
      sql.append(" AND r.created_at <= ? AND (r.created_at < ? OR r.id < ?)");
      params.add(at);
      params.add(at);
      params.add(q.before().id());
    }
    sql.append(" ORDER BY r.created_at DESC, r.id DESC LIMIT ?");
    params.add(q.limit());
    try (Connection c = ds.getConnection();
        PreparedStatement ps = ApiKeyRepository.prepare(c, sql.toString(), params);
        ResultSet rs = ps.executeQuery()) {
      List<RequestRow> rows = new ArrayList<>();
      while (rs.next()) {
        int ttft = rs.getInt(21);
        Integer ttftMs = rs.wasNull() ? null : ttft;
        rows.add(new RequestRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getTimestamp(3).toInstant(),
            rs.getObject(4, UUID.class), rs.getString(5), rs.getObject(6, UUID.class), rs.getString(7),
            rs.getString(8), rs.getString(9), rs.getString(10), rs.getBoolean(11), rs.getInt(12), rs.getString(13),
            rs.getInt(14), rs.getInt(15), rs.getInt(16), rs.getInt(17), rs.getBoolean(18),
            rs.getBigDecimal(19).stripTrailingZeros(), rs.getInt(20), ttftMs,
            rs.getString(22)));
      }
      return rows;
    } catch (SQLException e) {
      throw new StoreException("reading recent requests", e);
    }
  }

  private static void filter(StringBuilder sql, List<Object> params, String column, Object value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = ?");
      params.add(value);
    }
  }
}
