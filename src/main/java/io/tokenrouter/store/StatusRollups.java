package io.tokenrouter.store;

import io.tokenrouter.usage.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rolls the requests a batch has just inserted into {@code daily_status}: how many were answered
 * with each status, per UTC day, key, user, project, model and provider. Every request counts,
 * refused ones too (they have no provider), so error rates never need the requests table.
 * Appended like daily_usage: each batch adds its own partial counts, readers add them up.
 */
final class StatusRollups {
  private static final String APPEND = "INSERT INTO daily_status (time, user_id, api_key_id, project, model,"
      + " provider, status, request_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  private StatusRollups() {}

  private record Group(LocalDate day, UUID userId, UUID apiKeyId, String project, String model, String provider,
      int status) {}

  static void append(Connection c, List<UsageRecord> inserted) throws SQLException {
    Map<Group, Integer> counts = new LinkedHashMap<>();
    for (UsageRecord r : inserted) {
      Group g = new Group(LocalDate.ofInstant(r.createdAt(), ZoneOffset.UTC), r.userId(), r.apiKeyId(), r.project(),
          r.upstreamModel() == null ? r.model() : r.upstreamModel(), r.provider(), r.status());
      counts.merge(g, 1, Integer::sum);
    }
    if (counts.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(APPEND)) {
      for (Map.Entry<Group, Integer> e : counts.entrySet()) {
        Group g = e.getKey();
        ps.setObject(1, g.day().atStartOfDay().atOffset(ZoneOffset.UTC));
        ps.setObject(2, g.userId());
        ps.setObject(3, g.apiKeyId());
        ps.setString(4, g.project());
        ps.setString(5, g.model());
        ps.setString(6, g.provider());
        ps.setShort(7, (short) g.status());
        ps.setInt(8, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
