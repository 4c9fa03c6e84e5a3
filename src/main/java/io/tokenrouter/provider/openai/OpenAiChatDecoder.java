package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.JsonTaps;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.ReplyEvent.BlockKind;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads an OpenAI chat completion, or its chunks (or a legacy completion's, whose text is the
 * choice's {@code text}), into neutral reply events for a client of another API. Reasoning ({@code reasoning_content}, DeepSeek's and most compatible servers'
 * field, or {@code reasoning}) becomes a thinking block; text, reasoning and each tool call get
 * blocks of their own, in the order they appear.
 */
final class OpenAiChatDecoder implements ReplyDecoder {
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
  private final String provider;
  /** The block index of each tool call, by OpenAI's tool-call index. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private boolean started;
  private int nextBlock;
  private int openBlock = -1;
  private BlockKind openKind;
  private boolean finished;
  private boolean done;

  OpenAiChatDecoder(String provider) {
    this.provider = provider;
  }

  @Override
  public void body(byte[] body, Consumer<ReplyEvent> out) {
    JsonNode reply = parse(body);
    if (!reply.path("choices").isArray()) {
      throw GatewayError.badResponse(provider, "the reply has no choices");
    }
    start(reply.path("id").asText(null), reply.path("model").asText(null), out);
    JsonNode choice = reply.path("choices").path(0);
    JsonNode message = choice.path("message");
    text(reasoning(message), BlockKind.THINKING, out);
    text(message.path("content").asText(""), BlockKind.TEXT, out);
    text(message.path("refusal").asText(""), BlockKind.TEXT, out);
    text(choice.path("text").asText(""), BlockKind.TEXT, out);
    JsonNode calls = message.path("tool_calls");
    for (int i = 0; i < calls.size(); i++) {
      toolCall(i, calls.get(i), out);
    }
    finish(choice.path("finish_reason").asText(null), out);
    usage(reply.get("usage"), out);
  }

  @Override
  public void event(String name, byte[] data, Consumer<ReplyEvent> out) {
    if (done) {
      return;
    }
    if (Arrays.equals(data, DONE)) {
      done = true;
      return;
    }
    ChatChunk chunk = chunk(data);
    if (chunk.hasError()) {
      JsonNode error = chunk.error();
      throw GatewayError.midStream(provider, error == null ? "stream error"
          : error.path("message").asText("stream error"));
    }
    start(chunk.id(), chunk.model(), out);
    text(chunk.reasoning(), BlockKind.THINKING, out);
    text(chunk.content(), BlockKind.TEXT, out);
    text(chunk.refusal(), BlockKind.TEXT, out);
    text(chunk.text(), BlockKind.TEXT, out);
    JsonNode calls = chunk.toolCalls();
    for (int i = 0; calls != null && i < calls.size(); i++) {
      JsonNode call = calls.get(i);
      toolCall(call.path("index").asInt(i), call, out);
    }
    if (chunk.finishReason() != null) {
      finish(chunk.finishReason(), out);
    }
    usage(chunk.usage(), out);
  }

  @Override
  public void end(Consumer<ReplyEvent> out) {
    if (!finished) {
      throw GatewayError.badResponse(provider, "the stream ended before the completion finished");
    }
  }

  private ChatChunk chunk(byte[] data) {
    try {
      ChatChunk chunk = ChatChunk.read(data);
      if (chunk == null) {
        throw GatewayError.badResponse(provider, "the reply is not a JSON object");
      }
      return chunk;
    } catch (IOException e) {
      throw GatewayError.badResponse(provider, "the reply is not valid JSON (" + JsonTaps.reason(e) + ")");
    }
  }

  private JsonNode parse(byte[] data) {
    try {
      JsonNode node = Json.MAPPER.readTree(data);
      if (node == null || !node.isObject()) {
        throw GatewayError.badResponse(provider, "the reply is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw GatewayError.badResponse(provider, "the reply is not valid JSON (" + JsonTaps.reason(e) + ")");
    }
  }

  private void start(String id, String model, Consumer<ReplyEvent> out) {
    if (!started) {
      started = true;
      out.accept(new ReplyEvent.Start(id, model));
    }
  }

  private static String reasoning(JsonNode message) {
    String text = message.path("reasoning_content").asText("");
    return text.isEmpty() ? message.path("reasoning").asText("") : text;
  }

  private void text(String text, BlockKind kind, Consumer<ReplyEvent> out) {
    if (text.isEmpty()) {
      return;
    }
    if (openKind != kind || openBlock < 0) {
      open(kind, null, null, out);
    }
    out.accept(kind == BlockKind.TEXT ? new ReplyEvent.TextDelta(openBlock, text)
        : new ReplyEvent.ThinkingDelta(openBlock, text));
  }

  private void toolCall(int toolIndex, JsonNode call, Consumer<ReplyEvent> out) {
    Integer block = toolBlocks.get(toolIndex);
    if (block == null) {
      JsonNode function = call.path("function");
      open(BlockKind.TOOL_USE, call.path("id").asText(""), function.path("name").asText(""), out);
      block = openBlock;
      toolBlocks.put(toolIndex, block);
    }
    JsonNode arguments = call.path("function").path("arguments");
    String json = arguments.isTextual() ? arguments.asText() : arguments.isMissingNode() ? "" : arguments.toString();
    if (!json.isEmpty()) {
      out.accept(new ReplyEvent.ToolInputDelta(block, json));
    }
  }

  private void open(BlockKind kind, String id, String name, Consumer<ReplyEvent> out) {
    close(out);
    openBlock = nextBlock++;
    openKind = kind;
    out.accept(new ReplyEvent.BlockStart(openBlock, kind, id, name));
  }

  private void close(Consumer<ReplyEvent> out) {
    if (openBlock >= 0) {
      out.accept(new ReplyEvent.BlockStop(openBlock));
      openBlock = -1;
      openKind = null;
    }
  }

  private void finish(String reason, Consumer<ReplyEvent> out) {
    if (finished) {
      return;
    }
    finished = true;
    close(out);
    out.accept(new ReplyEvent.Stop(stopReason(reason), null));
  }

  private static void usage(JsonNode node, Consumer<ReplyEvent> out) {
    Usage usage = OpenAiUsage.read(node);
    if (usage != null) {
      out.accept(new ReplyEvent.UsageReport(usage));
    }
  }

  /** OpenAI's finish_reason in neutral terms. */
  static StopReason stopReason(String finishReason) {
    if (finishReason == null) {
      return StopReason.END_TURN;
    }
    return switch (finishReason) {
      case "length" -> StopReason.MAX_TOKENS;
      case "tool_calls", "function_call" -> StopReason.TOOL_USE;
      case "content_filter" -> StopReason.REFUSAL;
      default -> StopReason.END_TURN;
    };
  }
}
