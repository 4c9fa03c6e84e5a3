package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The admin_audit table: written in the transaction of the change it records. */
public final class AuditRepository {
  private static final String COLUMNS = "id, created_at, actor, action, resource, resource_id, details, request_id";
  private static final int DETAILS_WIDTH = 10_000;
  private final DataSource ds;

  public AuditRepository(DataSource ds) {
    this.ds = ds;
  }

  /** Audit text is the admin API's own (validated, JSON-encoded); only its length needs bounding. */
  private static String clip(String value, int width) {
    return value == null || value.length() <= width ? value : value.substring(0, width);
  }

  public void insert(Connection c, AuditEntry e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO admin_audit (" + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setObject(1, e.id());
      ps.setTimestamp(2, Timestamp.from(e.createdAt()));
      ps.setString(3, clip(e.actor(), 100));
      ps.setString(4, e.action());
      ps.setString(5, e.resource());
      ps.setString(6, clip(e.resourceId(), 255));
      ps.setString(7, clip(e.details(), DETAILS_WIDTH));
      ps.setString(8, clip(e.requestId(), 64));
      ps.executeUpdate();
    }
  }

  /**
   * The newest entries first, optionally of one resource (and one of its ids), older than
   * {@code before} when given.
   */
  public List<AuditEntry> recent(String resource, String resourceId, Instant before, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM admin_audit WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (resource != null) {
      sql.append(" AND resource = ?");
      params.add(resource);
    }
    if (resourceId != null) {
      sql.append(" AND resource_id = ?");
      params.add(resourceId);
    }
    if (before != null) {
      sql.append(" AND created_at < ?");
      params.add(Timestamp.from(before));
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    params.add(limit);
    try (Connection c = ds.getConnection();
        PreparedStatement ps = ApiKeyRepository.prepare(c, sql.toString(), params);
        ResultSet rs = ps.executeQuery()) {
      List<AuditEntry> entries = new ArrayList<>();
      while (rs.next()) {
        entries.add(new AuditEntry(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
      }
      return entries;
    } catch (SQLException e) {
      throw new StoreException("reading the admin audit", e);
    }
  }
}
