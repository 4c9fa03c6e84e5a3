package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import java.io.IOException;

/**
 * What the chat decoder takes from one {@code chat.completion.chunk}, read in one pass of
 * Jackson's streaming parser: trees only for the parts that are trees to the decoder (tool
 * calls, usage, an error), everything else skipped. A tree of the whole chunk cost the event
 * loop about 1.2 µs a chunk, a third of a translated stream's decoding (bench/RESULTS.md).
 *
 * <p>Of {@code choices} only the first is read, as before. A text field that is not a string
 * reads as its scalar text, or as empty for an object or an array, as {@code asText("")} did.
 *
 * @param hasError whether the chunk has an {@code error} member at all (its value may be null)
 * @param toolCalls the first choice's {@code delta.tool_calls}, or null
 * @param finishReason the first choice's {@code finish_reason} when it is a string, else null
 */
record ChatChunk(String id, String model, boolean hasError, JsonNode error, JsonNode usage, String content,
    String reasoning, String refusal, String text, JsonNode toolCalls, String finishReason) {

  /** The chunk in {@code data}; null when it is not a JSON object. */
  static ChatChunk read(byte[] data) throws IOException {
    try (JsonParser p = Json.MAPPER.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Builder chunk = new Builder();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "id" -> chunk.id = value == JsonToken.VALUE_NULL ? null : text(p, value);
          case "model" -> chunk.model = value == JsonToken.VALUE_NULL ? null : text(p, value);
          case "error" -> {
            chunk.hasError = true;
            chunk.error = Json.MAPPER.readTree(p);
          }
          case "usage" -> chunk.usage = Json.MAPPER.readTree(p);
          case "choices" -> choices(p, value, chunk);
          default -> p.skipChildren();
        }
      }
      return chunk.build();
    }
  }

  private static void choices(JsonParser p, JsonToken value, Builder chunk) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    JsonToken first = p.nextToken();
    if (first == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken field = p.nextToken();
        switch (name) {
          case "delta" -> delta(p, field, chunk);
          case "text" -> chunk.text = text(p, field);
          case "finish_reason" -> chunk.finishReason = field == JsonToken.VALUE_STRING ? p.getText() : skipped(p);
          default -> p.skipChildren();
        }
      }
    } else if (first != JsonToken.END_ARRAY) {
      p.skipChildren();
    }
    if (first != JsonToken.END_ARRAY) {
      while (p.nextToken() != JsonToken.END_ARRAY) {
        p.skipChildren();
      }
    }
  }

  private static void delta(JsonParser p, JsonToken value, Builder chunk) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken field = p.nextToken();
      switch (name) {
        case "content" -> chunk.content = text(p, field);
        case "reasoning_content" -> chunk.reasoningContent = text(p, field);
        case "reasoning" -> chunk.reasoning = text(p, field);
        case "refusal" -> chunk.refusal = text(p, field);
        case "tool_calls" -> chunk.toolCalls = Json.MAPPER.readTree(p);
        default -> p.skipChildren();
      }
    }
  }

  /** A scalar's text, empty for null, an object or an array (skipped). */
  private static String text(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      p.skipChildren();
      return "";
    }
    return value == JsonToken.VALUE_NULL ? "" : p.getText();
  }

  private static String skipped(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  private static final class Builder {
    String id;
    String model;
    boolean hasError;
    JsonNode error;
    JsonNode usage;
    String content = "";
    String reasoningContent = "";
    String reasoning = "";
    String refusal = "";
    String text = "";
    JsonNode toolCalls;
    String finishReason;

    ChatChunk build() {
      // DeepSeek's and most compatible servers' field first, then OpenRouter's and others'
      return new ChatChunk(id, model, hasError, error, usage, content,
          reasoningContent.isEmpty() ? reasoning : reasoningContent, refusal, text, toolCalls, finishReason);
    }
  }
}
