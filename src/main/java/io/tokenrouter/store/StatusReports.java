package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * How requests were answered (per status, with errors and the error rate), read from the
 * daily_status roll-up, never from the requests table: a time range on one of its indexes, then
 * a few rows per day and group. The groups are those of {@link UsageReports}, plus the status.
 */
public final class StatusReports {
  private static final String SUMS = "COALESCE(SUM(d.request_count), 0),"
      + " COALESCE(SUM(CASE WHEN d.status >= 400 THEN d.request_count ELSE 0 END), 0)";
  private static final String GROUP_SUMS = "SUM(d.request_count) AS requests,"
      + " SUM(CASE WHEN d.status >= 400 THEN d.request_count ELSE 0 END) AS errors";
  private static final String OVER_ALL = "COUNT(*) OVER (), SUM(g.requests) OVER (), SUM(g.errors) OVER ()";
  private final DataSource ds;

  public StatusReports(DataSource ds) {
    this.ds = ds;
  }

  /** The report's page of groups and the totals over every group. */
  public record Report(Page<StatusRow> rows, StatusRow totals) {}

  public Report run(StatusQuery q) {
    List<Object> params = new ArrayList<>();
    String where = RollupFilter.where(q.from(), q.to(), q.keyId(), q.userId(), q.project(), q.model(),
        q.provider(), params);
    String inner = UsageDimension.inner(q.groupBy());
    String outer = UsageDimension.outer(q.groupBy());
    String groups = UsageDimension.groups(q.groupBy());
    if (q.byStatus()) {
      inner = inner.isEmpty() ? "d.status" : inner + ", d.status";
      outer = outer.isEmpty() ? "g.status" : outer + ", g.status";
      groups = groups.isEmpty() ? "g.status" : groups + ", g.status";
    }
    try (Connection c = ds.getConnection()) {
      if (inner.isEmpty()) {
        StatusRow totals = totals(c, where, params);
        return new Report(new Page<>(List.of(totals), 1, 0), totals);
      }
      // One pass: the groups' counts in a subquery, names joined to the page of groups, with the
      // number of groups and the totals as window sums. By day: chronological; otherwise the
      // most requests first. Every group column breaks ties.
      String order = (q.groupBy().contains(UsageDimension.DAY) ? "g.time, g.requests DESC" : "g.requests DESC") + ", "
          + groups;
      String sql = "SELECT " + outer + ", g.requests, g.errors, " + OVER_ALL + " FROM (SELECT " + inner + ", "
          + GROUP_SUMS + " FROM daily_status d" + where + " GROUP BY " + inner + ") g"
          + UsageDimension.joins(q.groupBy()) + " ORDER BY " + order + " LIMIT ? OFFSET ?";
      List<Object> paged = new ArrayList<>(params);
      paged.add(q.limit());
      paged.add(q.offset());
      List<StatusRow> rows = new ArrayList<>();
      long groupCount = 0;
      StatusRow totals = null;
      try (PreparedStatement ps = ApiKeyRepository.prepare(c, sql, paged); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs, q));
          if (totals == null) {
            int n = columnCount(q);
            groupCount = rs.getLong(n + 3);
            totals = new StatusRow(null, null, null, null, null, null, null, null, null, rs.getLong(n + 4),
                rs.getLong(n + 5));
          }
        }
      }
      if (totals == null) { // a page past the last group, or nothing in range: count apart
        totals = totals(c, where, params);
        try (PreparedStatement ps = ApiKeyRepository.prepare(c, "SELECT COUNT(*) FROM (SELECT 1 FROM daily_status d"
            + where + " GROUP BY " + inner + ") g", params); ResultSet rs = ps.executeQuery()) {
          rs.next();
          groupCount = rs.getLong(1);
        }
      }
      return new Report(new Page<>(rows, groupCount, q.offset()), totals);
    } catch (SQLException e) {
      throw new StoreException("reading answer statuses", e);
    }
  }

  private static StatusRow totals(Connection c, String where, List<Object> params) throws SQLException {
    try (PreparedStatement ps = ApiKeyRepository.prepare(c, "SELECT " + SUMS + " FROM daily_status d" + where, params);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new StatusRow(null, null, null, null, null, null, null, null, null, rs.getLong(1), rs.getLong(2));
    }
  }

  /** How many columns the group takes in a row. */
  private static int columnCount(StatusQuery q) {
    int n = q.byStatus() ? 1 : 0;
    for (UsageDimension d : q.groupBy()) {
      n += d == UsageDimension.KEY || d == UsageDimension.USER ? 2 : 1;
    }
    return n;
  }

  private static StatusRow row(ResultSet rs, StatusQuery q) throws SQLException {
    int col = 1;
    Instant day = null;
    UUID keyId = null;
    String keyName = null;
    UUID userId = null;
    String email = null;
    String project = null;
    String model = null;
    String provider = null;
    for (UsageDimension d : q.groupBy()) {
      switch (d) {
        case KEY -> {
          keyId = rs.getObject(col++, UUID.class);
          keyName = rs.getString(col++);
        }
        case USER -> {
          userId = rs.getObject(col++, UUID.class);
          email = rs.getString(col++);
        }
        case PROJECT -> project = rs.getString(col++);
        case MODEL -> model = rs.getString(col++);
        case PROVIDER -> provider = rs.getString(col++);
        case DAY -> day = rs.getTimestamp(col++).toInstant();
      }
    }
    Integer status = q.byStatus() ? (int) rs.getShort(col++) : null;
    return new StatusRow(day, keyId, keyName, userId, email, project, model, provider, status, rs.getLong(col),
        rs.getLong(col + 1));
  }
}
