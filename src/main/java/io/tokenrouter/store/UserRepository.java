package io.tokenrouter.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The users and plans tables. Blocking JDBC: call it from a worker, never from an event loop. */
public final class UserRepository {
  private static final String COLUMNS = "id, email, name, plan, quota_limit, price_multiplier, created_at, "
      + LimitColumns.NAMES;
  private final DataSource ds;

  public UserRepository(DataSource ds) {
    this.ds = ds;
  }

  public void insert(StoredUser user) {
    String sql = "INSERT INTO users (" + COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
        + "?, ".repeat(LimitColumns.COUNT) + "?)";
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, user.id());
      ps.setString(2, user.email());
      ps.setString(3, user.name());
      ps.setString(4, user.plan());
      if (user.quotaLimit() == null) {
        ps.setNull(5, Types.BIGINT);
      } else {
        ps.setLong(5, user.quotaLimit());
      }
      ps.setBigDecimal(6, user.priceMultiplier());
      ps.setTimestamp(7, Timestamp.from(user.createdAt()));
      LimitColumns.bind(ps, 8, user.limits());
      ps.setTimestamp(8 + LimitColumns.COUNT, Timestamp.from(user.createdAt()));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("inserting user " + user.email(), e);
    }
  }

  public Optional<StoredUser> find(UUID id) {
    return one("SELECT " + COLUMNS + " FROM users WHERE id = ?", id);
  }

  public Optional<StoredUser> findByEmail(String email) {
    return one("SELECT " + COLUMNS + " FROM users WHERE email = ?", email);
  }

  public List<StoredUser> list() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users ORDER BY created_at, email");
        ResultSet rs = ps.executeQuery()) {
      List<StoredUser> users = new ArrayList<>();
      while (rs.next()) {
        users.add(read(rs));
      }
      return users;
    } catch (SQLException e) {
      throw new StoreException("listing users", e);
    }
  }

  /** Moves a user to another plan; false when no user has that id. */
  public boolean setPlan(UUID id, String plan) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE users SET plan = ?, updated_at = ? WHERE id = ?")) {
      ps.setString(1, plan);
      ps.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
      ps.setObject(3, id);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("changing the plan of user " + id, e);
    }
  }

  public Optional<StoredPlan> plan(String name) {
    String sql = "SELECT name, monthly_token_quota, rpm_limit, price_multiplier FROM plans WHERE name = ?";
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long quota = rs.getLong(2);
        Long monthlyQuota = rs.wasNull() ? null : quota;
        int rpm = rs.getInt(3);
        Integer planRpm = rs.wasNull() ? null : rpm;
        return Optional.of(new StoredPlan(rs.getString(1), monthlyQuota, planRpm, rs.getBigDecimal(4)));
      }
    } catch (SQLException e) {
      throw new StoreException("reading plan " + name, e);
    }
  }

  private Optional<StoredUser> one(String sql, Object param) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("looking up a user", e);
    }
  }

  private static StoredUser read(ResultSet rs) throws SQLException {
    long quota = rs.getLong("quota_limit");
    Long quotaLimit = rs.wasNull() ? null : quota;
    BigDecimal multiplier = rs.getBigDecimal("price_multiplier");
    return new StoredUser(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name"),
        rs.getString("plan"), quotaLimit, multiplier, LimitColumns.read(rs), rs.getTimestamp("created_at").toInstant());
  }
}
