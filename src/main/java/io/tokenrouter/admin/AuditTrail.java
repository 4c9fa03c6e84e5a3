package io.tokenrouter.admin;

import io.tokenrouter.store.AuditEntry;
import io.tokenrouter.store.AuditRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Writes who changed what, in the transaction of the change. Values of fields that look like
 * secrets (keys, tokens, passwords) are replaced by "[redacted]" at any depth, so a raw key or a
 * provider secret never reaches the table.
 */
final class AuditTrail {
  static final String REDACTED = "[redacted]";
  private final AuditRepository audit;
  private final Clock clock;

  AuditTrail(AuditRepository audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
  }

  /** Who and which request a change came from. */
  record Origin(String actor, String requestId) {}

  void record(Connection c, Origin origin, String action, String resource, String resourceId, JsonObject change)
      throws SQLException {
    audit.insert(c, new AuditEntry(UUID.randomUUID(), clock.instant(), origin.actor(), action, resource, resourceId,
        redact(change).encode(), origin.requestId()));
  }

  static JsonObject redact(JsonObject in) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : in) {
      out.put(e.getKey(), secret(e.getKey()) && e.getValue() != null ? REDACTED : redactValue(e.getValue()));
    }
    return out;
  }

  private static Object redactValue(Object v) {
    if (v instanceof JsonObject o) {
      return redact(o);
    }
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(item -> out.add(redactValue(item)));
      return out;
    }
    return v;
  }

  private static boolean secret(String field) {
    String f = field.toLowerCase(Locale.ROOT);
    return f.equals("raw_key") || f.equals("key_hash") || f.equals("api_key") || f.equals("api_keys") || f.contains("secret")
        || f.contains("password") || f.equals("token") || f.endsWith("_token");
  }
}
