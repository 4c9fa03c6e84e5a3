package io.tokenrouter.api.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import io.tokenrouter.provider.openai.ResponsesItems;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** The JSON of the Responses API's objects: the response, its usage, ids. */
final class ResponseJson {
  private ResponseJson() {}

  /**
   * An id with OpenAI's prefix for the kind of object ({@code resp}, {@code msg}, {@code fc},
   * {@code rs}) and, as OpenAI's own, 48 hex digits that begin with the time: the milliseconds
   * (12 digits), then 18 random bytes. Ids made later sort later, so a kept response lands at the
   * end of the stored responses' id index rather than on a random page of it, which on the
   * embedded database had to be read back from disk once the table outgrew its cache.
   */
  static String id(String prefix) {
    return id(prefix, System.currentTimeMillis());
  }

  static String id(String prefix, long millis) {
    byte[] random = new byte[18];
    ThreadLocalRandom.current().nextBytes(random);
    HexFormat hex = HexFormat.of();
    return prefix + "_" + hex.toHexDigits(millis).substring(4) + hex.formatHex(random);
  }

  /**
   * The response object with the request's settings echoed, as OpenAI writes it; output, status
   * and usage are the caller's to fill.
   */
  static ObjectNode response(String id, long createdAt, String model, Envelope request, String previousResponseId) {
    ObjectNode r = Json.MAPPER.createObjectNode()
        .put("id", id)
        .put("object", "response")
        .put("created_at", createdAt)
        .put("status", "in_progress");
    r.putNull("error");
    r.putNull("incomplete_details");
    if (request.system() == null) {
      r.putNull("instructions");
    } else {
      r.put("instructions", request.system().text());
    }
    if (request.maxOutputTokens() == null) {
      r.putNull("max_output_tokens");
    } else {
      r.put("max_output_tokens", request.maxOutputTokens());
    }
    r.put("model", model);
    r.putArray("output");
    r.put("parallel_tool_calls", request.parallelToolCalls() == null || request.parallelToolCalls());
    if (previousResponseId == null) {
      r.putNull("previous_response_id");
    } else {
      r.put("previous_response_id", previousResponseId);
    }
    echo(r, request, "reasoning", Json.MAPPER.createObjectNode().putNull("effort").putNull("summary"));
    echo(r, request, "store", Json.MAPPER.getNodeFactory().booleanNode(true));
    echo(r, request, "temperature", Json.MAPPER.getNodeFactory().numberNode(1.0));
    ObjectNode text = Json.MAPPER.createObjectNode();
    text.putObject("format").put("type", "text");
    echo(r, request, "text", text);
    r.set("tool_choice", toolChoice(request.toolChoice()));
    ArrayNode tools = r.putArray("tools");
    for (Tool t : request.tools()) {
      tools.add(ResponsesItems.tool(t, Dialect.OPENAI_RESPONSES));
    }
    echo(r, request, "top_p", Json.MAPPER.getNodeFactory().numberNode(1.0));
    echo(r, request, "truncation", Json.MAPPER.getNodeFactory().textNode("disabled"));
    r.putNull("usage");
    echo(r, request, "user", Json.MAPPER.getNodeFactory().nullNode());
    echo(r, request, "metadata", Json.MAPPER.createObjectNode());
    return r;
  }

  private static void echo(ObjectNode r, Envelope request, String field, JsonNode otherwise) {
    JsonNode sent = request.params().get(field);
    r.set(field, sent == null || sent.isNull() ? otherwise : sent);
  }

  private static JsonNode toolChoice(ToolChoice choice) {
    if (choice == null) {
      return Json.MAPPER.getNodeFactory().textNode("auto");
    }
    return switch (choice.mode()) {
      case AUTO -> Json.MAPPER.getNodeFactory().textNode("auto");
      case ANY -> Json.MAPPER.getNodeFactory().textNode("required");
      case NONE -> Json.MAPPER.getNodeFactory().textNode("none");
      case TOOL -> Json.MAPPER.createObjectNode().put("type", "function").put("name", choice.name());
      case OTHER -> choice.raw();
    };
  }

  /**
   * Usage in the Responses API's terms: input includes cached tokens (reported apart as
   * {@code cached_tokens}), output includes reasoning.
   */
  static ObjectNode usage(Usage usage) {
    ObjectNode node = Json.MAPPER.createObjectNode().put("input_tokens", usage.promptTokens());
    node.putObject("input_tokens_details").put("cached_tokens", usage.cacheReadTokens());
    node.put("output_tokens", usage.completionTokens());
    node.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
    node.put("total_tokens", usage.totalTokens());
    return node;
  }

  /**
   * A neutral stop as the response's end: {@code completed}, or {@code incomplete} with OpenAI's
   * reason when the output cap or a content filter ended it.
   */
  static void finish(ObjectNode response, StopReason stop) {
    String reason = stop == null ? null : switch (stop) {
      case MAX_TOKENS, CONTEXT_WINDOW -> "max_output_tokens";
      case REFUSAL -> "content_filter";
      default -> null;
    };
    if (reason == null) {
      response.put("status", "completed");
    } else {
      response.put("status", "incomplete");
      response.putObject("incomplete_details").put("reason", reason);
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
