package io.tokenrouter.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The WHERE clause both roll-up reports share: the day range and the optional equality filters. */
final class RollupFilter {
  private RollupFilter() {
  }

  /** Appends the values of its placeholders to {@code params}, in order. */
  static String where(Instant from, Instant to, UUID keyId, UUID userId, String project, String model,
      String provider, List<Object> params) {
    StringBuilder where = new StringBuilder(" WHERE d.time >= ? AND d.time < ?");
    params.add(Timestamp.from(from));
    params.add(Timestamp.from(to));
    equal(where, params, "d.api_key_id", keyId);
    equal(where, params, "d.user_id", userId);
    equal(where, params, "d.project", project);
    equal(where, params, "d.model", model);
    equal(where, params, "d.provider", provider);
    return where.toString();
  }

  private static void equal(StringBuilder where, List<Object> params, String column, Object value) {
    if (value != null) {
      where.append(" AND ").append(column).append(" = ?");
      params.add(value);
    }
  }
}
