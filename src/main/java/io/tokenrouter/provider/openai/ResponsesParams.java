package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import java.io.IOException;
import java.util.Set;

/**
 * A Responses API parameter written for chat completions: the same setting under its chat name
 * ({@code reasoning.effort} is {@code reasoning_effort}, {@code text.format} is
 * {@code response_format}, {@code text.verbosity} is {@code verbosity}); settings only the
 * Responses API has are left out, since chat completions servers reject fields they do not know.
 */
final class ResponsesParams {
  private static final Set<String> RESPONSES_ONLY = Set.of("include", "truncation", "background", "store",
      "previous_response_id", "conversation", "max_tool_calls", "prompt", "stream_options", "metadata",
      "top_logprobs");

  private ResponsesParams() {}

  static void write(JsonGenerator g, String name, JsonNode value) throws IOException {
    if (RESPONSES_ONLY.contains(name) || value.isNull()) {
      return;
    }
    switch (name) {
      case "reasoning" -> {
        if (value.path("effort").isTextual()) {
          g.writeStringField("reasoning_effort", value.get("effort").asText());
        }
      }
      case "text" -> {
        JsonNode format = value.path("format");
        String type = format.path("type").asText("text");
        if (type.equals("json_schema")) {
          ObjectNode schema = format.deepCopy();
          schema.remove("type");
          ObjectNode responseFormat = Json.MAPPER.createObjectNode().put("type", "json_schema");
          responseFormat.set("json_schema", schema);
          g.writeFieldName("response_format");
          g.writeTree(responseFormat);
        } else if (type.equals("json_object")) {
          g.writeFieldName("response_format");
          g.writeTree(Json.MAPPER.createObjectNode().put("type", "json_object"));
        }
        if (value.path("verbosity").isTextual()) {
          g.writeStringField("verbosity", value.get("verbosity").asText());
        }
      }
      default -> {
        g.writeFieldName(name);
        g.writeTree(value);
      }
    }
  }
}
