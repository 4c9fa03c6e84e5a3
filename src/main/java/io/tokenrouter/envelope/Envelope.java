package io.tokenrouter.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The one internal model of a chat request, whatever format the client spoke.
 *
 * <p>Messages and tools are typed because adapters translate them. Every other top-level field
 * (sampling parameters, {@code max_tokens}, {@code stream_options}, and fields this gateway has
 * never heard of) stays in {@link #params()} in arrival order, so it survives the trip.
 * {@code params} is owned by the envelope: adapters copy it before they change it.
 *
 * <p>System instructions are messages with role {@code system} at the head of {@link #messages()},
 * whatever the client format; adapters for providers that take them apart (Anthropic) lift them.
 *
 * @param model the model name the client asked for
 * @param toolChoice OpenAI-shaped tool_choice, or null when absent
 */
public record Envelope(
    String model,
    List<Message> messages,
    List<Tool> tools,
    JsonNode toolChoice,
    boolean stream,
    ObjectNode params) {

  public Envelope {
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }

  /** Whether the client itself asked for the usage chunk at the end of a stream. */
  public boolean clientWantsStreamUsage() {
    JsonNode options = params.get("stream_options");
    return options != null && options.path("include_usage").asBoolean(false);
  }

  /**
   * This request with its output capped at {@code cap} tokens, written to the field the client
   * used ({@code max_completion_tokens} or {@code max_tokens}).
   */
  public Envelope withMaxOutputTokens(int cap) {
    ObjectNode capped = params.deepCopy();
    capped.put(params.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens", cap);
    return new Envelope(model, messages, tools, toolChoice, stream, capped);
  }

  /** The output cap the client asked for, or null. */
  public Integer maxOutputTokens() {
    JsonNode v = params.get("max_completion_tokens");
    if (v == null || !v.canConvertToInt()) {
      v = params.get("max_tokens");
    }
    return v != null && v.canConvertToInt() ? v.intValue() : null;
  }
}
