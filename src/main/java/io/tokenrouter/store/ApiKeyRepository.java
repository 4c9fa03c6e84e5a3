package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The api_keys table. Blocking JDBC: call it from a worker, never from an event loop. */
public final class ApiKeyRepository {
  private static final String COLUMNS = "id, name, key_hash, key_prefix, models, revoked, expires_at, created_at,"
      + " user_id, project, " + LimitColumns.NAMES + ", pipeline_off";
  private final DataSource ds;

  public ApiKeyRepository(DataSource ds) {
    this.ds = ds;
  }

  public void insert(StoredKey key) {
    String sql = "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        + "?, ".repeat(LimitColumns.COUNT) + "?)";
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, key.id());
      ps.setString(2, key.name());
      ps.setString(3, key.keyHash());
      ps.setString(4, key.keyPrefix());
      ps.setString(5, key.models().isEmpty() ? null : String.join(",", key.models()));
      ps.setBoolean(6, key.revoked());
      ps.setTimestamp(7, key.expiresAt() == null ? null : Timestamp.from(key.expiresAt()));
      ps.setTimestamp(8, Timestamp.from(key.createdAt()));
      ps.setObject(9, key.userId());
      ps.setString(10, key.project());
      LimitColumns.bind(ps, 11, key.limits());
      ps.setString(11 + LimitColumns.COUNT, key.pipelineOff().isEmpty() ? null : String.join(",", key.pipelineOff()));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("inserting api key " + key.id(), e);
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

  public List<StoredKey> list() {
    String sql = "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id";
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      List<StoredKey> keys = new ArrayList<>();
      while (rs.next()) {
        keys.add(read(rs));
      }
      return keys;
    } catch (SQLException e) {
      throw new StoreException("listing api keys", e);
    }
  }

  /** Marks the key revoked; its hash (to drop it from caches), or empty when no key has that id. */
  public Optional<String> revoke(UUID id) {
    try (Connection c = ds.getConnection();
        PreparedStatement find = c.prepareStatement("SELECT key_hash FROM api_keys WHERE id = ?");
        PreparedStatement update = c.prepareStatement("UPDATE api_keys SET revoked = TRUE WHERE id = ?")) {
      find.setObject(1, id);
      String hash;
      try (ResultSet rs = find.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        hash = rs.getString(1);
      }
      update.setObject(1, id);
      update.executeUpdate();
      return Optional.of(hash);
    } catch (SQLException e) {
      throw new StoreException("revoking api key " + id, e);
    }
  }

  private static StoredKey read(ResultSet rs) throws SQLException {
    String models = rs.getString("models");
    String pipelineOff = rs.getString("pipeline_off");
    Timestamp expires = rs.getTimestamp("expires_at");
    return new StoredKey(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("key_hash"),
        rs.getString("key_prefix"), models == null ? List.of() : Arrays.asList(models.split(",")),
        rs.getBoolean("revoked"), expires == null ? null : expires.toInstant(),
        rs.getTimestamp("created_at").toInstant(), rs.getObject("user_id", UUID.class), rs.getString("project"),
        LimitColumns.read(rs), pipelineOff == null ? List.of() : Arrays.asList(pipelineOff.split(",")));
  }
}
