package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Field maps of the envelope: JSON fields kept as the client sent them, in arrival order. The
 * maps are unmodifiable and their values are never modified after parsing; whoever needs a
 * changed value builds a new node.
 */
public final class Fields {
  private Fields() {}

  /** An unmodifiable, order-keeping copy; empty for null. */
  public static Map<String, JsonNode> copy(Map<String, JsonNode> fields) {
    if (fields == null || fields.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** {@code fields} without {@code name}. */
  public static Map<String, JsonNode> without(Map<String, JsonNode> fields, String name) {
    if (!fields.containsKey(name)) {
      return fields;
    }
    LinkedHashMap<String, JsonNode> out = new LinkedHashMap<>(fields);
    out.remove(name);
    return out.isEmpty() ? Map.of() : Collections.unmodifiableMap(out);
  }

  /** {@code fields} with {@code name} set to {@code value} (added last when new). */
  public static Map<String, JsonNode> with(Map<String, JsonNode> fields, String name, JsonNode value) {
    LinkedHashMap<String, JsonNode> out = new LinkedHashMap<>(fields);
    out.put(name, value);
    return Collections.unmodifiableMap(out);
  }
}
