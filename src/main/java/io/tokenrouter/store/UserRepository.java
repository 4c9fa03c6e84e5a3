package io.tokenrouter.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The users and plans tables. Blocking JDBC: call it from a worker, never from an event loop.
 * Methods that take a {@link Connection} run inside the caller's transaction ({@link Transactions}).
 */
public final class UserRepository {
  private static final String COLUMNS = "id, email, name, plan, quota_limit, price_multiplier, created_at, "
      + LimitColumns.NAMES;
  private static final String PLAN_COLUMNS = "name, monthly_token_quota, rpm_limit, price_multiplier";
  private final DataSource ds;

  public UserRepository(DataSource ds) {
    this.ds = ds;
  }

  public void insert(StoredUser user) {
    try (Connection c = ds.getConnection()) {
      insert(c, user);
    } catch (SQLException e) {
      throw new StoreException("inserting user " + user.email(), e);
    }
  }

  public void insert(Connection c, StoredUser user) throws SQLException {
    String sql = "INSERT INTO users (" + COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
        + "?, ".repeat(LimitColumns.COUNT) + "?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, user.id());
      ps.setString(2, user.email());
      ps.setString(3, user.name());
      ps.setString(4, user.plan());
      nullableLong(ps, 5, user.quotaLimit());
      ps.setBigDecimal(6, user.priceMultiplier());
      ps.setTimestamp(7, Timestamp.from(user.createdAt()));
      LimitColumns.bind(ps, 8, user.limits());
      ps.setTimestamp(8 + LimitColumns.COUNT, Timestamp.from(user.createdAt()));
      ps.executeUpdate();
    }
  }

  public Optional<StoredUser> find(UUID id) {
    return one("SELECT " + COLUMNS + " FROM users WHERE id = ?", id);
  }

  public Optional<StoredUser> findByEmail(String email) {
    return one("SELECT " + COLUMNS + " FROM users WHERE email = ?", email);
  }

  public Optional<StoredUser> find(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** A page of the users {@code query} selects, oldest first. */
  public Page<StoredUser> list(UserQuery query) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (query.plan() != null) {
      where.append(" AND plan = ?");
      params.add(query.plan());
    }
    if (query.email() != null) {
      where.append(" AND LOWER(email) LIKE ?");
      params.add("%" + query.email().toLowerCase(Locale.ROOT).replace("%", "").replace("_", "") + "%");
    }
    try (Connection c = ds.getConnection()) {
      long total;
      try (PreparedStatement ps = ApiKeyRepository.prepare(c, "SELECT COUNT(*) FROM users" + where, params);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
      List<Object> paged = new ArrayList<>(params);
      paged.add(query.limit());
      paged.add(query.offset());
      List<StoredUser> users = new ArrayList<>();
      try (PreparedStatement ps = ApiKeyRepository.prepare(c, "SELECT " + COLUMNS + " FROM users" + where
          + " ORDER BY created_at, email LIMIT ? OFFSET ?", paged); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          users.add(read(rs));
        }
      }
      return new Page<>(users, total, query.offset());
    } catch (SQLException e) {
      throw new StoreException("listing users", e);
    }
  }

  /** Writes the user's name, plan, quota, price multiplier and limits. */
  public void update(Connection c, StoredUser user) throws SQLException {
    String sql = "UPDATE users SET name = ?, plan = ?, quota_limit = ?, price_multiplier = ?, updated_at = ?, "
        + LimitColumns.NAMES.replace(",", " = ?,") + " = ? WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, user.name());
      ps.setString(2, user.plan());
      nullableLong(ps, 3, user.quotaLimit());
      ps.setBigDecimal(4, user.priceMultiplier());
      ps.setTimestamp(5, Timestamp.from(Instant.now()));
      LimitColumns.bind(ps, 6, user.limits());
      ps.setObject(6 + LimitColumns.COUNT, user.id());
      ps.executeUpdate();
    }
  }

  public Optional<StoredPlan> plan(String name) {
    try (Connection c = ds.getConnection()) {
      return plan(c, name);
    } catch (SQLException e) {
      throw new StoreException("reading plan " + name, e);
    }
  }

  public Optional<StoredPlan> plan(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + PLAN_COLUMNS + " FROM plans WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(readPlan(rs)) : Optional.empty();
      }
    }
  }

  public List<StoredPlan> plans() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + PLAN_COLUMNS + " FROM plans ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      List<StoredPlan> plans = new ArrayList<>();
      while (rs.next()) {
        plans.add(readPlan(rs));
      }
      return plans;
    } catch (SQLException e) {
      throw new StoreException("listing plans", e);
    }
  }

  public void insertPlan(Connection c, StoredPlan plan) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO plans (" + PLAN_COLUMNS + ") VALUES (?, ?, ?, ?)")) {
      bindPlan(ps, plan);
      ps.executeUpdate();
    }
  }

  public void updatePlan(Connection c, StoredPlan plan) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE plans SET name = ?, monthly_token_quota = ?, rpm_limit = ?, price_multiplier = ? WHERE name = ?")) {
      bindPlan(ps, plan);
      ps.setString(5, plan.name());
      ps.executeUpdate();
    }
  }

  private static void bindPlan(PreparedStatement ps, StoredPlan plan) throws SQLException {
    ps.setString(1, plan.name());
    nullableLong(ps, 2, plan.monthlyTokenQuota());
    if (plan.rpm() == null) {
      ps.setNull(3, Types.INTEGER);
    } else {
      ps.setInt(3, plan.rpm());
    }
    ps.setBigDecimal(4, plan.priceMultiplier());
  }

  private static StoredPlan readPlan(ResultSet rs) throws SQLException {
    long quota = rs.getLong(2);
    Long monthlyQuota = rs.wasNull() ? null : quota;
    int rpm = rs.getInt(3);
    Integer planRpm = rs.wasNull() ? null : rpm;
    return new StoredPlan(rs.getString(1), monthlyQuota, planRpm, rs.getBigDecimal(4));
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

  private static void nullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
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
