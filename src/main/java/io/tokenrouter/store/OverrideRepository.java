package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The admin API's stored provider and model changes (V12: {@code providers}, {@code
 * model_overrides}), as the rows hold them: secrets sealed, other settings as JSON text. Blocking
 * JDBC: call it from a worker, never from an event loop.
 */
public final class OverrideRepository {
  private static final String PROVIDER_COLUMNS = "id, name, type, enabled, base_url, api_key_encrypted, settings,"
      + " added, updated_at";
  private final DataSource ds;

  public OverrideRepository(DataSource ds) {
    this.ds = ds;
  }

  /**
   * A provider's stored change; a null column keeps the file's value.
   *
   * @param sealedKeys the provider's API keys as a JSON list, sealed by the secrets box
   * @param settings the other changed settings as a JSON object
   * @param added created through the admin API rather than a change to a file provider
   */
  public record StoredProvider(UUID id, String name, String type, Boolean enabled, String baseUrl, String sealedKeys,
      String settings, boolean added, Instant updatedAt) {}

  /** A stored model mapping: its JSON definition, or removed (hiding the file's). */
  public record StoredModel(String name, String definition, boolean removed, Instant updatedAt) {}

  /** Everything stored, read on one connection so providers and models agree. */
  public record Stored(List<StoredProvider> providers, List<StoredModel> models) {}

  public Stored all() {
    try (Connection c = ds.getConnection()) {
      return all(c);
    } catch (SQLException e) {
      throw new StoreException("reading the stored provider and model changes", e);
    }
  }

  public Stored all(Connection c) throws SQLException {
    List<StoredProvider> providers = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + PROVIDER_COLUMNS + " FROM providers ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        providers.add(provider(rs));
      }
    }
    List<StoredModel> models = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT name, definition, removed, updated_at FROM model_overrides ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        models.add(new StoredModel(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getTimestamp(4).toInstant()));
      }
    }
    return new Stored(providers, models);
  }

  public Optional<StoredProvider> provider(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + PROVIDER_COLUMNS + " FROM providers WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(provider(rs)) : Optional.empty();
      }
    }
  }

  /** Writes {@code p} over the stored change of its name, or as a new one. */
  public void save(Connection c, StoredProvider p) throws SQLException {
    int updated;
    try (PreparedStatement ps = c.prepareStatement("UPDATE providers SET type = ?, enabled = ?, base_url = ?,"
        + " api_key_encrypted = ?, settings = ?, added = ?, updated_at = ? WHERE name = ?")) {
      int i = providerValues(ps, p, 1);
      ps.setString(i, p.name());
      updated = ps.executeUpdate();
    }
    if (updated == 0) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO providers (type, enabled, base_url,"
          + " api_key_encrypted, settings, added, updated_at, id, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        int i = providerValues(ps, p, 1);
        ps.setObject(i++, p.id());
        ps.setString(i, p.name());
        ps.executeUpdate();
      }
    }
  }

  /** Forgets a provider's stored change (or the provider, when it was added here); whether there was one. */
  public boolean deleteProvider(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM providers WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    }
  }

  public Optional<StoredModel> model(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT name, definition, removed, updated_at FROM model_overrides WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new StoredModel(rs.getString(1), rs.getString(2), rs.getBoolean(3),
            rs.getTimestamp(4).toInstant())) : Optional.empty();
      }
    }
  }

  public void save(Connection c, StoredModel m) throws SQLException {
    int updated;
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE model_overrides SET definition = ?, removed = ?, updated_at = ? WHERE name = ?")) {
      ps.setString(1, m.definition());
      ps.setBoolean(2, m.removed());
      ps.setTimestamp(3, Timestamp.from(m.updatedAt()));
      ps.setString(4, m.name());
      updated = ps.executeUpdate();
    }
    if (updated == 0) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO model_overrides (definition, removed, updated_at, name) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, m.definition());
        ps.setBoolean(2, m.removed());
        ps.setTimestamp(3, Timestamp.from(m.updatedAt()));
        ps.setString(4, m.name());
        ps.executeUpdate();
      }
    }
  }

  public boolean deleteModel(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM model_overrides WHERE name = ?")) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    }
  }

  private static int providerValues(PreparedStatement ps, StoredProvider p, int from) throws SQLException {
    int i = from;
    ps.setString(i++, p.type());
    if (p.enabled() == null) {
      ps.setNull(i++, Types.BOOLEAN);
    } else {
      ps.setBoolean(i++, p.enabled());
    }
    ps.setString(i++, p.baseUrl());
    ps.setString(i++, p.sealedKeys());
    ps.setString(i++, p.settings());
    ps.setBoolean(i++, p.added());
    ps.setTimestamp(i++, Timestamp.from(p.updatedAt()));
    return i;
  }

  private static StoredProvider provider(ResultSet rs) throws SQLException {
    boolean enabled = rs.getBoolean(4);
    Boolean set = rs.wasNull() ? null : enabled;
    return new StoredProvider(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), set, rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8),
        rs.getTimestamp(9).toInstant());
  }
}
