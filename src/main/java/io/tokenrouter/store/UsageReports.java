package io.tokenrouter.store;

import java.math.BigDecimal;
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
 * Usage and cost reports, read from the daily_usage roll-up, never from the requests table:
 * a time range on the (time), (api_key_id, time), (user_id, time) or (project, time) index,
 * then a few rows per day and group.
 */
public final class UsageReports {
  private static final String SUMS = "COALESCE(SUM(d.request_count), 0), COALESCE(SUM(d.prompt_tokens), 0),"
      + " COALESCE(SUM(d.completion_tokens), 0), COALESCE(SUM(d.cache_read_tokens), 0),"
      + " COALESCE(SUM(d.cache_write_tokens), 0), COALESCE(SUM(d.cost_usd), 0), COALESCE(SUM(d.saved_usd), 0)";
  /** A group's sums, named for the query around them. */
  private static final String GROUP_SUMS = "SUM(d.request_count) AS requests, SUM(d.prompt_tokens) AS prompt,"
      + " SUM(d.completion_tokens) AS completion, SUM(d.cache_read_tokens) AS cache_read,"
      + " SUM(d.cache_write_tokens) AS cache_write, SUM(d.cost_usd) AS cost, SUM(d.saved_usd) AS saved";
  /** The number of groups and the sums over all of them, next to each group's row. */
  private static final String OVER_ALL = "COUNT(*) OVER (), SUM(g.requests) OVER (), SUM(g.prompt) OVER (),"
      + " SUM(g.completion) OVER (), SUM(g.cache_read) OVER (), SUM(g.cache_write) OVER (), SUM(g.cost) OVER (),"
      + " SUM(g.saved) OVER ()";
  private final DataSource ds;

  public UsageReports(DataSource ds) {
    this.ds = ds;
  }

  /** The report's page of groups and the totals over every group. */
  public record Report(Page<UsageRow> rows, UsageRow totals) {}

  public Report run(UsageQuery q) {
    List<Object> params = new ArrayList<>();
    String where = RollupFilter.where(q.from(), q.to(), q.keyId(), q.userId(), q.project(), q.model(),
        q.provider(), params);
    try (Connection c = ds.getConnection()) {
      if (q.groupBy().isEmpty()) {
        UsageRow totals = totals(c, where, params);
        return new Report(new Page<>(List.of(totals), 1, 0), totals);
      }
      // One pass over the roll-up: the groups' sums in a subquery, names joined to the page of
      // groups, and (as window sums over every group, computed before LIMIT) how many groups
      // there are and their totals. By day: chronological; otherwise the most expensive first.
      // Every group column breaks ties, so pages never overlap.
      String groups = UsageDimension.groups(q.groupBy());
      String order = (q.groupBy().contains(UsageDimension.DAY) ? "g.time, g.cost DESC" : "g.cost DESC") + ", " + groups;
      String sql = "SELECT " + UsageDimension.outer(q.groupBy()) + ", g.requests, g.prompt, g.completion, g.cache_read,"
          + " g.cache_write, g.cost, g.saved, " + OVER_ALL + " FROM (SELECT " + UsageDimension.inner(q.groupBy()) + ", "
          + GROUP_SUMS + " FROM daily_usage d" + where + " GROUP BY " + UsageDimension.inner(q.groupBy()) + ") g"
          + UsageDimension.joins(q.groupBy()) + " ORDER BY " + order + " LIMIT ? OFFSET ?";
      List<Object> paged = new ArrayList<>(params);
      paged.add(q.limit());
      paged.add(q.offset());
      List<UsageRow> rows = new ArrayList<>();
      long groupCount = 0;
      UsageRow totals = null;
      try (PreparedStatement ps = ApiKeyRepository.prepare(c, sql, paged); ResultSet rs = ps.executeQuery()) {
        int firstSum = UsageDimension.outer(q.groupBy()).split(",").length + 1;
        while (rs.next()) {
          rows.add(row(rs, q.groupBy(), firstSum));
          if (totals == null) {
            groupCount = rs.getLong(firstSum + 7);
            totals = row(rs, List.of(), firstSum + 8);
          }
        }
      }
      if (totals == null) { // a page past the last group, or nothing in range: count apart
        totals = totals(c, where, params);
        try (PreparedStatement ps = ApiKeyRepository.prepare(c, "SELECT COUNT(*) FROM (SELECT 1 FROM daily_usage d"
            + where + " GROUP BY " + UsageDimension.inner(q.groupBy()) + ") g", params); ResultSet rs = ps.executeQuery()) {
          rs.next();
          groupCount = rs.getLong(1);
        }
      }
      return new Report(new Page<>(rows, groupCount, q.offset()), totals);
    } catch (SQLException e) {
      throw new StoreException("reading usage", e);
    }
  }

  private static UsageRow totals(Connection c, String where, List<Object> params) throws SQLException {
    try (PreparedStatement ps = ApiKeyRepository.prepare(c, "SELECT " + SUMS + " FROM daily_usage d" + where,
        params);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return row(rs, List.of(), 1);
    }
  }

  private static UsageRow row(ResultSet rs, List<UsageDimension> dims, int firstSum) throws SQLException {
    int col = 1;
    Instant day = null;
    UUID keyId = null;
    String keyName = null;
    UUID userId = null;
    String email = null;
    String project = null;
    String model = null;
    String provider = null;
    for (UsageDimension d : dims) {
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
    int s = firstSum;
    BigDecimal cost = rs.getBigDecimal(s + 5);
    BigDecimal saved = rs.getBigDecimal(s + 6);
    return new UsageRow(day, keyId, keyName, userId, email, project, model, provider, rs.getLong(s),
        rs.getLong(s + 1), rs.getLong(s + 2), rs.getLong(s + 3), rs.getLong(s + 4), cost.stripTrailingZeros(),
        saved.stripTrailingZeros());
  }
}
