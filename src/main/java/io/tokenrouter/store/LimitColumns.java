package io.tokenrouter.store;

import io.tokenrouter.caller.Limits;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** Reads and writes the {@link Limits} columns, which api_keys and users share. */
final class LimitColumns {
  static final String NAMES = "rpm_limit, tpm_limit, max_concurrency, burst, max_input_tokens, max_output_tokens,"
      + " daily_budget_usd, monthly_budget_usd";
  static final int COUNT = 8;

  private LimitColumns() {}

  /** Binds the limits to parameters {@code first} .. {@code first + COUNT - 1}. */
  static void bind(PreparedStatement ps, int first, Limits l) throws SQLException {
    integer(ps, first, l.rpm());
    integer(ps, first + 1, l.tpm());
    integer(ps, first + 2, l.maxConcurrency());
    integer(ps, first + 3, l.burst());
    integer(ps, first + 4, l.maxInputTokens());
    integer(ps, first + 5, l.maxOutputTokens());
    ps.setBigDecimal(first + 6, l.dailyBudgetUsd());
    ps.setBigDecimal(first + 7, l.monthlyBudgetUsd());
  }

  static Limits read(ResultSet rs) throws SQLException {
    return new Limits(integer(rs, "rpm_limit"), integer(rs, "tpm_limit"), integer(rs, "max_concurrency"),
        integer(rs, "burst"), integer(rs, "max_input_tokens"), integer(rs, "max_output_tokens"),
        decimal(rs, "daily_budget_usd"), decimal(rs, "monthly_budget_usd"));
  }

  private static void integer(PreparedStatement ps, int index, Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }

  private static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static BigDecimal decimal(ResultSet rs, String column) throws SQLException {
    return rs.getBigDecimal(column);
  }
}
