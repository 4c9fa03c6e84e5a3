package io.tokenrouter.store;

import io.tokenrouter.budget.UsageBaseline;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Spend and token use since a point in time, summed from {@code requests} (indexed by key and by
 * user with time). Read once per budget counter and period, never per request.
 */
public final class SpendRepository implements UsageBaseline {
  private final DataSource ds;

  public SpendRepository(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public BigDecimal spentByKey(UUID keyId, Instant from) {
    return decimal("SELECT COALESCE(SUM(cost_usd), 0) FROM requests WHERE api_key_id = ? AND created_at >= ?",
        keyId, from);
  }

  @Override
  public BigDecimal spentByUser(UUID userId, Instant from) {
    return decimal("SELECT COALESCE(SUM(cost_usd), 0) FROM requests WHERE user_id = ? AND created_at >= ?",
        userId, from);
  }

  @Override
  public long tokensOfUser(UUID userId, Instant from) {
    String sql = "SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) FROM requests"
        + " WHERE user_id = ? AND created_at >= ?";
    try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, sql, userId, from);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("summing the tokens of user " + userId, e);
    }
  }

  private BigDecimal decimal(String sql, UUID id, Instant from) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = prepare(c, sql, id, from);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBigDecimal(1);
    } catch (SQLException e) {
      throw new StoreException("summing spend of " + id, e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, UUID id, Instant from) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.setObject(1, id);
    ps.setTimestamp(2, Timestamp.from(from));
    return ps;
  }
}
