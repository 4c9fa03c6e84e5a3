package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Merges the partial rows the usage recorder appends to the daily roll-ups (one per batch and
 * group: under about one request a second that is one row per request) into one row per group,
 * for days that are over, so reports read a few rows per day and group however quiet or busy the
 * gateway was. Blocking JDBC: run it on a worker.
 *
 * <p>A day is compacted in one REPEATABLE READ transaction: its groups are summed, its rows
 * deleted, the sums inserted. Both statements see the same snapshot, so a row appended meanwhile
 * (a spool replay) is neither summed nor deleted, and stays for the next pass. Two instances
 * compacting the same day at once: PostgreSQL refuses the second's delete, which then changes
 * nothing. Every column that is not part of the group is summed, so a column added to a roll-up
 * later is kept without a change here.
 */
public final class RollupCompaction {
  /** A roll-up table and the columns its rows are grouped by; every other column is a sum. */
  public record Rollup(String table, Set<String> group) {}

  public static final Rollup DAILY_USAGE = new Rollup("daily_usage",
      Set.of("time", "user_id", "api_key_id", "project", "model", "provider"));
  public static final Rollup DAILY_STATUS = new Rollup("daily_status",
      Set.of("time", "user_id", "api_key_id", "project", "model", "provider", "status"));

  private final DataSource ds;
  /** Per table and day, how many rows it had when last compacted here: a day whose count is the same is skipped. */
  private final Map<String, Map<Instant, Long>> compacted = new ConcurrentHashMap<>();

  public RollupCompaction(DataSource ds) {
    this.ds = ds;
  }

  /** What a pass did: days compacted and rows removed, over every roll-up. */
  public record Result(int days, long rowsRemoved) {}

  /** Compacts every day before {@code before} (a UTC day) whose row count changed since this instance last looked. */
  public Result compactBefore(LocalDate before) {
    int days = 0;
    long removed = 0;
    for (Rollup rollup : List.of(DAILY_USAGE, DAILY_STATUS)) {
      Map<Instant, Long> known = compacted.computeIfAbsent(rollup.table(), t -> new ConcurrentHashMap<>());
      for (Map.Entry<Instant, Long> day : rowsPerDay(rollup, before).entrySet()) {
        if (day.getValue().equals(known.get(day.getKey()))) {
          continue;
        }
        long[] outcome = compact(rollup, day.getKey());
        if (outcome != null) {
          known.put(day.getKey(), outcome[1]);
          if (outcome[0] > 0) {
            days++;
            removed += outcome[0];
          }
        }
      }
    }
    return new Result(days, removed);
  }

  private Map<Instant, Long> rowsPerDay(Rollup rollup, LocalDate before) {
    String sql = "SELECT time, COUNT(*) FROM " + rollup.table() + " WHERE time < ? GROUP BY time";
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, before.atStartOfDay().atOffset(ZoneOffset.UTC));
      Map<Instant, Long> days = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          days.put(rs.getTimestamp(1).toInstant(), rs.getLong(2));
        }
      }
      return days;
    } catch (SQLException e) {
      throw new StoreException("counting " + rollup.table() + " rows per day", e);
    }
  }

  /**
   * Compacts one day of one roll-up: {rows removed, rows left}, or null when another instance was
   * compacting it at the same time (nothing changed).
   */
  long[] compact(Rollup rollup, Instant day) {
    try (Connection c = ds.getConnection()) {
      List<String> columns = columns(c, rollup);
      List<String> group = columns.stream().filter(rollup.group()::contains).toList();
      List<String> sums = columns.stream().filter(col -> !rollup.group().contains(col)).toList();
      int isolation = c.getTransactionIsolation();
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        long before;
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + rollup.table() + " WHERE time = ?")) {
          ps.setObject(1, day.atOffset(ZoneOffset.UTC));
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            before = rs.getLong(1);
          }
        }
        String select = "SELECT " + String.join(", ", group) + ", "
            + String.join(", ", sums.stream().map(s -> "SUM(" + s + ")").toList()) + " FROM " + rollup.table()
            + " WHERE time = ? GROUP BY " + String.join(", ", group);
        try (PreparedStatement ps = c.prepareStatement(select)) {
          ps.setObject(1, day.atOffset(ZoneOffset.UTC));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Object[] row = new Object[group.size() + sums.size()];
              for (int i = 0; i < row.length; i++) {
                row[i] = rs.getObject(i + 1);
              }
              rows.add(row);
            }
          }
        }
        if (rows.size() == before) {
          c.rollback();
          return new long[] {0, before};
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + rollup.table() + " WHERE time = ?")) {
          ps.setObject(1, day.atOffset(ZoneOffset.UTC));
          ps.executeUpdate();
        }
        List<String> all = new ArrayList<>(group);
        all.addAll(sums);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + rollup.table() + " (" + String.join(", ", all)
            + ") VALUES (" + String.join(", ", all.stream().map(x -> "?").toList()) + ")")) {
          for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
              ps.setObject(i + 1, row[i]);
            }
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
        return new long[] {before - rows.size(), rows.size()};
      } catch (SQLException e) {
        c.rollback();
        if ("40001".equals(e.getSQLState())) {
          return null; // another instance is compacting this day
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
        c.setTransactionIsolation(isolation);
      }
    } catch (SQLException e) {
      throw new StoreException("compacting " + rollup.table() + " for " + day, e);
    }
  }

  private static List<String> columns(Connection c, Rollup rollup) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + rollup.table()
        + " WHERE 1 = 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
      }
      return columns;
    }
  }
}
