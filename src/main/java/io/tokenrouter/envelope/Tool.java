package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A tool the model may call.
 *
 * @param type {@link #FUNCTION} for a tool the client defines and runs; any other type is a
 *     provider's built-in tool (web search, code execution...), kept whole in {@code raw}
 * @param schema the JSON schema of the arguments, or null
 * @param extra a function tool's other fields ({@code strict}, {@code cache_control},
 *     {@code defer_loading}...), in arrival order
 * @param raw a built-in tool as the client sent it in {@code dialect}; null for function tools
 */
public record Tool(String type, String name, String description, JsonNode schema, Map<String, JsonNode> extra,
    Dialect dialect, JsonNode raw) {
  public static final String FUNCTION = "function";

  public Tool {
    extra = Fields.copy(extra);
  }

  public static Tool function(String name, String description, JsonNode schema, Map<String, JsonNode> extra) {
    return new Tool(FUNCTION, name, description, schema, extra, null, null);
  }

  public boolean isFunction() {
    return FUNCTION.equals(type);
  }

  public Tool withExtra(Map<String, JsonNode> fields) {
    return new Tool(type, name, description, schema, fields, dialect, raw);
  }
}
