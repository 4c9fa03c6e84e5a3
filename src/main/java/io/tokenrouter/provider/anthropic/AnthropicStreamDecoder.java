package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.JsonTaps;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.ReplyEvent.BlockKind;
import io.tokenrouter.reply.StopReason;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads an Anthropic message, or the events of its stream, into neutral reply events for a
 * client of another API (or for a stage that rewrites the answer). Pings and event and block
 * types this gateway does not know are skipped: Anthropic adds new ones and documents that
 * clients must tolerate them.
 */
final class AnthropicStreamDecoder implements ReplyDecoder {
  private final String provider;
  private final AnthropicUsage usage = new AnthropicUsage();
  /** Neutral block index by Anthropic's, for the blocks relayed; unknown block types get none. */
  private final Map<Integer, Integer> blocks = new HashMap<>();
  /** Tool inputs sent whole in content_block_start (some compatible servers), by Anthropic's index. */
  private final Map<Integer, JsonNode> startInputs = new HashMap<>();
  private int nextBlock;
  private boolean stopped;

  AnthropicStreamDecoder(String provider) {
    this.provider = provider;
  }

  @Override
  public void body(byte[] body, Consumer<ReplyEvent> out) {
    JsonNode message = parse(body);
    if (!message.path("content").isArray()) {
      throw GatewayError.badResponse(provider, "the reply has no content array");
    }
    out.accept(new ReplyEvent.Start(message.path("id").asText(null), message.path("model").asText(null)));
    JsonNode content = message.get("content");
    for (int i = 0; i < content.size(); i++) {
      JsonNode block = content.get(i);
      Integer index = blockStart(i, block, out);
      if (index == null) {
        continue;
      }
      switch (block.path("type").asText()) {
        case "text" -> delta(out, new ReplyEvent.TextDelta(index, block.path("text").asText("")));
        case "thinking" -> {
          delta(out, new ReplyEvent.ThinkingDelta(index, block.path("thinking").asText("")));
          if (block.path("signature").isTextual()) {
            out.accept(new ReplyEvent.SignatureDelta(index, block.get("signature").asText()));
          }
        }
        case "tool_use" -> {
          JsonNode input = block.get("input");
          out.accept(new ReplyEvent.ToolInputDelta(index, input == null || input.isNull() ? "{}" : input.toString()));
        }
        default -> { }
      }
      out.accept(new ReplyEvent.BlockStop(index));
    }
    out.accept(new ReplyEvent.Stop(stopReason(message.path("stop_reason").asText(null)),
        message.path("stop_sequence").asText(null)));
    usage.add(message.get("usage"));
    if (usage.reported()) {
      out.accept(new ReplyEvent.UsageReport(usage.toUsage()));
    }
  }

  @Override
  public void event(String name, byte[] data, Consumer<ReplyEvent> out) {
    JsonNode event = parse(data);
    switch (event.path("type").asText(name == null ? "" : name)) {
      case "message_start" -> {
        JsonNode message = event.path("message");
        out.accept(new ReplyEvent.Start(message.path("id").asText(null), message.path("model").asText(null)));
        report(message.get("usage"), out);
      }
      case "content_block_start" -> {
        int at = event.path("index").asInt();
        JsonNode block = event.path("content_block");
        Integer index = blockStart(at, block, out);
        if (index != null) {
          String initial = block.path("type").asText().equals("text") ? block.path("text").asText("")
              : block.path("thinking").asText("");
          if (!initial.isEmpty()) {
            delta(out, block.path("type").asText().equals("text") ? new ReplyEvent.TextDelta(index, initial)
                : new ReplyEvent.ThinkingDelta(index, initial));
          }
          if (block.path("input") instanceof JsonNode input && input.isObject() && !input.isEmpty()) {
            startInputs.put(at, input);
          }
        }
      }
      case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"), out);
      case "content_block_stop" -> {
        int at = event.path("index").asInt();
        Integer index = blocks.get(at);
        if (index != null) {
          JsonNode input = startInputs.remove(at);
          if (input != null) {
            out.accept(new ReplyEvent.ToolInputDelta(index, input.toString()));
          }
          out.accept(new ReplyEvent.BlockStop(index));
        }
      }
      case "message_delta" -> {
        JsonNode delta = event.path("delta");
        if (!stopped && delta.has("stop_reason") && !delta.get("stop_reason").isNull()) {
          stopped = true;
          out.accept(new ReplyEvent.Stop(stopReason(delta.get("stop_reason").asText()),
              delta.path("stop_sequence").asText(null)));
        }
        report(event.get("usage"), out);
      }
      case "message_stop" -> {
        if (!stopped) {
          stopped = true;
          out.accept(new ReplyEvent.Stop(StopReason.END_TURN, null));
        }
      }
      case "error" -> throw AnthropicErrors.midStream(provider, event);
      default -> { }
    }
  }

  @Override
  public void end(Consumer<ReplyEvent> out) {
    if (!stopped) {
      throw GatewayError.badResponse(provider, "the stream ended before message_stop");
    }
  }

  private JsonNode parse(byte[] data) {
    try {
      JsonNode node = Json.MAPPER.readTree(data);
      if (node == null || !node.isObject()) {
        throw GatewayError.badResponse(provider, "an event is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw GatewayError.badResponse(provider, "an event is not valid JSON (" + JsonTaps.reason(e) + ")");
    }
  }

  /** Opens a neutral block for the kinds clients of other APIs can receive; null for the rest. */
  private Integer blockStart(int at, JsonNode block, Consumer<ReplyEvent> out) {
    BlockKind kind = switch (block.path("type").asText()) {
      case "text" -> BlockKind.TEXT;
      case "thinking" -> BlockKind.THINKING;
      case "redacted_thinking" -> BlockKind.REDACTED_THINKING;
      case "tool_use" -> BlockKind.TOOL_USE;
      default -> null;
    };
    if (kind == null) {
      return null;
    }
    int index = nextBlock++;
    blocks.put(at, index);
    out.accept(new ReplyEvent.BlockStart(index, kind, block.path("id").asText(null), block.path("name").asText(null)));
    return index;
  }

  private void blockDelta(int at, JsonNode delta, Consumer<ReplyEvent> out) {
    Integer index = blocks.get(at);
    if (index == null) {
      return;
    }
    switch (delta.path("type").asText()) {
      case "text_delta" -> delta(out, new ReplyEvent.TextDelta(index, delta.path("text").asText("")));
      case "thinking_delta" -> delta(out, new ReplyEvent.ThinkingDelta(index, delta.path("thinking").asText("")));
      case "signature_delta" -> out.accept(new ReplyEvent.SignatureDelta(index, delta.path("signature").asText("")));
      case "input_json_delta" -> {
        String partial = delta.path("partial_json").asText("");
        if (!partial.isEmpty()) {
          startInputs.remove(at);
          out.accept(new ReplyEvent.ToolInputDelta(index, partial));
        }
      }
      default -> { }
    }
  }

  private static void delta(Consumer<ReplyEvent> out, ReplyEvent event) {
    boolean empty = event instanceof ReplyEvent.TextDelta t && t.text().isEmpty()
        || event instanceof ReplyEvent.ThinkingDelta th && th.thinking().isEmpty();
    if (!empty) {
      out.accept(event);
    }
  }

  private void report(JsonNode reported, Consumer<ReplyEvent> out) {
    if (reported != null && reported.isObject()) {
      usage.add(reported);
      out.accept(new ReplyEvent.UsageReport(usage.toUsage()));
    }
  }

  /** Anthropic's stop_reason in neutral terms. */
  static StopReason stopReason(String stopReason) {
    if (stopReason == null) {
      return StopReason.END_TURN;
    }
    return switch (stopReason) {
      case "max_tokens" -> StopReason.MAX_TOKENS;
      case "model_context_window_exceeded" -> StopReason.CONTEXT_WINDOW;
      case "tool_use" -> StopReason.TOOL_USE;
      case "stop_sequence" -> StopReason.STOP_SEQUENCE;
      case "refusal" -> StopReason.REFUSAL;
      case "pause_turn" -> StopReason.PAUSE_TURN;
      default -> StopReason.END_TURN;
    };
  }
}
