package io.tokenrouter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Responses kept for the Responses API's {@code previous_response_id} and
 * {@code GET /v1/responses/{id}}: the response object and the whole conversation up to it, as
 * JSON text, each visible only to the key that made it. Blocking; called off the event loop.
 */
public final class ResponseRepository {
  /** A kept response: its JSON, and the conversation's items (input and output) as a JSON array. */
  public record Stored(String id, UUID apiKeyId, String response, String items, Instant createdAt) {}

  private static final String INSERT =
      "INSERT INTO stored_responses (id, api_key_id, response, items, created_at) VALUES (?, ?, ?, ?, ?)";
  private final DataSource ds;

  public ResponseRepository(DataSource ds) {
    this.ds = ds;
  }

  public void insert(Stored r) {
    insertAll(List.of(r));
  }

  /** Stores every response or none, in one transaction. */
  public void insertAll(List<Stored> responses) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (Stored r : responses) {
          ps.setString(1, r.id());
          ps.setObject(2, r.apiKeyId());
          ps.setString(3, r.response());
          ps.setString(4, r.items());
          ps.setTimestamp(5, Timestamp.from(r.createdAt()));
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store " + (responses.size() == 1 ? "response " + responses.getFirst().id()
          : responses.size() + " responses"), e);
    }
  }

  /** The response {@code id} made by {@code apiKeyId} no earlier than {@code notBefore}. */
  public Optional<Stored> find(String id, UUID apiKeyId, Instant notBefore) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id, api_key_id, response, items, created_at"
            + " FROM stored_responses WHERE id = ? AND api_key_id = ? AND created_at >= ?")) {
      ps.setString(1, id);
      ps.setObject(2, apiKeyId);
      ps.setTimestamp(3, Timestamp.from(notBefore));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Stored(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3),
            rs.getString(4), rs.getTimestamp(5).toInstant()));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read response " + id, e);
    }
  }

  /** Deletes the response {@code id} of {@code apiKeyId}; false when there was none. */
  public boolean delete(String id, UUID apiKeyId) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM stored_responses WHERE id = ? AND api_key_id = ?")) {
      ps.setString(1, id);
      ps.setObject(2, apiKeyId);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new StoreException("cannot delete response " + id, e);
    }
  }

  /** Deletes every response created before {@code cutoff}; the number deleted. */
  public int deleteOlderThan(Instant cutoff) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM stored_responses WHERE created_at < ?")) {
      ps.setTimestamp(1, Timestamp.from(cutoff));
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot delete expired responses", e);
    }
  }
}
