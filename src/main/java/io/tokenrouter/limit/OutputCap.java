package io.tokenrouter.limit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Holds a streamed answer to at most {@code cap} output tokens, counted with the model's
 * tokenizer as the chunks pass. Far from the cap each delta is counted on its own (cheap);
 * close to it the whole output is re-counted, so the cut lands exactly on the cap. The chunk
 * that reaches the cap is trimmed, and {@link #finalChunk()} then closes the stream the way a
 * provider does when it hits {@code max_tokens}: {@code finish_reason: "length"}.
 *
 * <p>One per stream, used on its event loop.
 */
public final class OutputCap {
  /** Token boundaries can merge across deltas; re-count exactly once this close to the cap. */
  private static final int EXACT_MARGIN = 8;
  private final TokenEstimator tokenizer;
  private final String model;
  private final int cap;
  private final StringBuilder output = new StringBuilder();
  private int counted;
  private boolean reached;
  private ObjectNode lastChunk;

  public OutputCap(TokenEstimator tokenizer, String model, int cap) {
    this.tokenizer = tokenizer;
    this.model = model;
    this.cap = cap;
  }

  public int cap() {
    return cap;
  }

  /** True once the cap was reached: the caller ends the stream and cancels the upstream. */
  public boolean reached() {
    return reached;
  }

  /** Output tokens passed so far. */
  public int tokens() {
    return counted;
  }

  /**
   * The chunk to send in place of {@code json}: the same bytes while under the cap, a trimmed
   * copy for the chunk that reaches it, null for anything after it.
   */
  public Buffer apply(Buffer json) {
    if (reached) {
      return null;
    }
    ObjectNode chunk;
    try {
      chunk = (ObjectNode) Json.MAPPER.readTree(json.getBytes());
    } catch (IOException | ClassCastException e) {
      return json;
    }
    JsonNode delta = chunk.path("choices").path(0).path("delta");
    if (!(delta instanceof ObjectNode d) || !d.path("content").isTextual() || d.get("content").asText().isEmpty()) {
      if (chunk.path("choices").path(0).path("finish_reason").isTextual()) {
        lastChunk = chunk;
      }
      return json;
    }
    lastChunk = chunk;
    String text = d.get("content").asText();
    int estimate = counted + tokenizer.countText(model, text);
    if (estimate < cap - EXACT_MARGIN) {
      counted = estimate;
      output.append(text);
      return json;
    }
    String all = output + text;
    int exact = tokenizer.countText(model, all);
    if (exact < cap) {
      counted = exact;
      output.append(text);
      return json;
    }
    reached = true;
    String kept = exact == cap ? all : tokenizer.truncate(model, all, cap);
    String keptDelta = kept.startsWith(output.toString()) ? kept.substring(output.length()) : "";
    output.setLength(0);
    output.append(kept);
    counted = tokenizer.countText(model, kept);
    if (keptDelta.equals(text)) {
      return json;
    }
    d.put("content", keptDelta);
    return Buffer.buffer(chunk.toString());
  }

  /** The closing chunk after the cap: same id and model as the stream, empty delta, "length". */
  public Buffer finalChunk() {
    ObjectNode last = header();
    ObjectNode choice = last.putArray("choices").addObject().put("index", 0);
    choice.putObject("delta");
    choice.put("finish_reason", "length");
    return Buffer.buffer(last.toString());
  }

  /** The usage-only chunk for a client that asked for usage: the upstream's never comes after a cut. */
  public Buffer usageChunk(Usage usage) {
    ObjectNode chunk = header();
    chunk.putArray("choices");
    chunk.putObject("usage").put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens()).put("total_tokens", usage.totalTokens());
    return Buffer.buffer(chunk.toString());
  }

  private ObjectNode header() {
    ObjectNode header = Json.MAPPER.createObjectNode();
    if (lastChunk != null) {
      for (String field : new String[] {"id", "object", "created", "model", "system_fingerprint"}) {
        if (lastChunk.has(field)) {
          header.set(field, lastChunk.get(field));
        }
      }
    }
    return header;
  }
}
