package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The api_keys table. Blocking JDBC: call it from a worker, never from an event loop. Methods
 * that take a {@link Connection} run inside the caller's transaction ({@link Transactions}).
 */
public final class ApiKeyRepository {
  private static final String COLUMNS = "id, name, key_hash, key_prefix, models, revoked, expires_at, created_at,"
      + " user_id, project, disabled, " + LimitColumns.NAMES + ", pipeline_off";
  private final DataSource ds;

  public ApiKeyRepository(DataSource ds) {
    this.ds = ds;
  }

  public void insert(StoredKey key) {
    try (Connection c = ds.getConnection()) {
      insert(c, key);
    } catch (SQLException e) {
      throw new StoreException("inserting api key " + key.id(), e);
    }
  }

  public void insert(Connection c, StoredKey key) throws SQLException {
    String sql = "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        + "?, ".repeat(LimitColumns.COUNT) + "?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, key.id());
      ps.setString(2, key.name());
      ps.setString(3, key.keyHash());
      ps.setString(4, key.keyPrefix());
      ps.setString(5, models(key));
      ps.setBoolean(6, key.revoked());
      ps.setTimestamp(7, key.expiresAt() == null ? null : Timestamp.from(key.expiresAt()));
      ps.setTimestamp(8, Timestamp.from(key.createdAt()));
      ps.setObject(9, key.userId());
      ps.setString(10, key.project());
      ps.setBoolean(11, key.disabled());
      LimitColumns.bind(ps, 12, key.limits());
      ps.setString(12 + LimitColumns.COUNT, key.pipelineOff().isEmpty() ? null : String.join(",", key.pipelineOff()));
      ps.executeUpdate();
    }
  }

  public Optional<StoredKey> findByHash(String keyHash) {
    String sql = "SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?";
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, keyHash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("looking up an api key", e);
    }
  }

  public Optional<StoredKey> find(UUID id) {
    try (Connection c = ds.getConnection()) {
      return find(c, id);
    } catch (SQLException e) {
      throw new StoreException("reading api key " + id, e);
    }
  }

  public Optional<StoredKey> find(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** A page of the keys {@code query} selects, newest first (index on created_at, user_id, project). */
  public Page<StoredKey> list(KeyQuery query) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (query.userId() != null) {
      where.append(" AND user_id = ?");
      params.add(query.userId());
    }
    if (query.project() != null) {
      where.append(" AND project = ?");
      params.add(query.project());
    }
    if (query.name() != null) {
      where.append(" AND LOWER(name) LIKE ?");
      params.add("%" + query.name().toLowerCase(Locale.ROOT).replace("%", "").replace("_", "") + "%");
    }
    if (query.state() != null) {
      Timestamp now = Timestamp.from(query.now());
      switch (query.state()) {
        case ACTIVE -> {
          where.append(" AND revoked = FALSE AND disabled = FALSE AND (expires_at IS NULL OR expires_at > ?)");
          params.add(now);
        }
        case DISABLED -> where.append(" AND revoked = FALSE AND disabled = TRUE");
        case REVOKED -> where.append(" AND revoked = TRUE");
        case EXPIRED -> {
          where.append(" AND revoked = FALSE AND disabled = FALSE AND expires_at <= ?");
          params.add(now);
        }
      }
    }
    try (Connection c = ds.getConnection()) {
      long total;
      try (PreparedStatement ps = prepare(c, "SELECT COUNT(*) FROM api_keys" + where, params);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
      }
      List<Object> paged = new ArrayList<>(params);
      paged.add(query.limit());
      paged.add(query.offset());
      List<StoredKey> keys = new ArrayList<>();
      try (PreparedStatement ps = prepare(c, "SELECT " + COLUMNS + " FROM api_keys" + where
          + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", paged); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(read(rs));
        }
      }
      return new Page<>(keys, total, query.offset());
    } catch (SQLException e) {
      throw new StoreException("listing api keys", e);
    }
  }

  /** Writes everything of the key but its id, hash, prefix, owner and creation time. */
  public void update(Connection c, StoredKey key) throws SQLException {
    String sql = "UPDATE api_keys SET name = ?, models = ?, revoked = ?, expires_at = ?, project = ?, disabled = ?, "
        + LimitColumns.NAMES.replace(",", " = ?,") + " = ? WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key.name());
      ps.setString(2, models(key));
      ps.setBoolean(3, key.revoked());
      ps.setTimestamp(4, key.expiresAt() == null ? null : Timestamp.from(key.expiresAt()));
      ps.setString(5, key.project());
      ps.setBoolean(6, key.disabled());
      LimitColumns.bind(ps, 7, key.limits());
      ps.setObject(7 + LimitColumns.COUNT, key.id());
      ps.executeUpdate();
    }
  }

  /** The hashes of a user's keys, to drop them from auth caches when the user changes. */
  public List<String> hashesOfUser(Connection c, UUID userId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT key_hash FROM api_keys WHERE user_id = ?")) {
      ps.setObject(1, userId);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> hashes = new ArrayList<>();
        while (rs.next()) {
          hashes.add(rs.getString(1));
        }
        return hashes;
      }
    }
  }

  private static String models(StoredKey key) {
    return key.models().isEmpty() ? null : String.join(",", key.models());
  }

  static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
    return ps;
  }

  private static StoredKey read(ResultSet rs) throws SQLException {
    String models = rs.getString("models");
    String pipelineOff = rs.getString("pipeline_off");
    Timestamp expires = rs.getTimestamp("expires_at");
    return new StoredKey(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("key_hash"),
        rs.getString("key_prefix"), models == null ? List.of() : Arrays.asList(models.split(",")),
        rs.getBoolean("revoked"), expires == null ? null : expires.toInstant(),
        rs.getTimestamp("created_at").toInstant(), rs.getObject("user_id", UUID.class), rs.getString("project"),
        LimitColumns.read(rs), rs.getBoolean("disabled"),
        pipelineOff == null ? List.of() : Arrays.asList(pipelineOff.split(",")));
  }
}
