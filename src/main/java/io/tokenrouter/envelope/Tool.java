package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool the model may call.
 *
 * @param parameters the JSON schema of the arguments, or null
 * @param extra for a function tool, the function's other fields (strict...); for any other tool
 *     type, the whole tool object as the client sent it
 */
public record Tool(String type, String name, String description, JsonNode parameters, ObjectNode extra) {
  public static final String FUNCTION = "function";

  public boolean isFunction() {
    return FUNCTION.equals(type);
  }
}
