package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.OriginalBody;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import io.tokenrouter.provider.RequestBodies;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * Writes a Responses API request for a provider that has the API: the client's own bytes (with
 * the provider's model name) while nothing changed them, else written from the envelope (a kept
 * conversation put before the input, the gateway's output limit) with every field the client sent.
 */
final class ResponsesRequestWriter {
  private ResponsesRequestWriter() {}

  static Buffer write(Envelope env, String model) {
    byte[] own = OriginalBody.of(env, model);
    if (own != null) {
      return RequestBodies.of(own);
    }
    ObjectNode root = Json.MAPPER.createObjectNode().put("model", model);
    if (env.system() != null) {
      root.put("instructions", env.system().text());
    }
    root.set("input", ResponsesItems.of(env.messages()));
    if (!env.tools().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      for (Tool t : env.tools()) {
        tools.add(ResponsesItems.tool(t));
      }
    }
    if (env.toolChoice() != null) {
      root.set("tool_choice", toolChoice(env.toolChoice()));
    }
    if (env.parallelToolCalls() != null) {
      root.put("parallel_tool_calls", env.parallelToolCalls());
    }
    if (env.stream()) {
      root.put("stream", true);
    }
    if (env.maxOutput() != null) {
      root.put("max_output_tokens", env.maxOutput().tokens());
    }
    for (Map.Entry<String, JsonNode> p : env.params().entrySet()) {
      if (!root.has(p.getKey())) {
        root.set(p.getKey(), p.getValue());
      }
    }
    return RequestBodies.of(Json.bytes(root));
  }

  private static JsonNode toolChoice(ToolChoice choice) {
    return switch (choice.mode()) {
      case AUTO -> Json.MAPPER.getNodeFactory().textNode("auto");
      case ANY -> Json.MAPPER.getNodeFactory().textNode("required");
      case NONE -> Json.MAPPER.getNodeFactory().textNode("none");
      case TOOL -> Json.MAPPER.createObjectNode().put("type", "function").put("name", choice.name());
      case OTHER -> choice.raw();
    };
  }
}
