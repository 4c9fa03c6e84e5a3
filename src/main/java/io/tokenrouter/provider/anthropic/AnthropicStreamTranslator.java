package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.ChunkSink;
import io.tokenrouter.provider.UpstreamException;
import io.tokenrouter.reply.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Turns the events of an Anthropic Messages stream into OpenAI {@code chat.completion.chunk}s
 * as they arrive. Pings and event types this gateway does not know are skipped: Anthropic adds
 * new ones and documents that clients must tolerate them.
 *
 * <p>One instance per stream, on the event loop of its exchange.
 */
final class AnthropicStreamTranslator {
  /** A tool_use block being streamed, by the block index Anthropic gave it. */
  private static final class ToolBlock {
    final int toolIndex;
    final JsonNode startInput;
    boolean streamedInput;

    ToolBlock(int toolIndex, JsonNode startInput) {
      this.toolIndex = toolIndex;
      this.startInput = startInput;
    }
  }

  private final String provider;
  private final boolean clientWantsUsage;
  private final ChunkSink sink;
  private final IntSupplier promptEstimate;
  private final AnthropicUsage usage = new AnthropicUsage();
  private final Map<Integer, ToolBlock> tools = new HashMap<>();
  private final long created = System.currentTimeMillis() / 1000;
  private String id = "";
  private String model;
  private int toolCount;
  private int contentChunks;
  private boolean started;
  private boolean finished;
  private boolean finalUsage;
  private boolean completed;
  private boolean ended;

  /**
   * @param model the upstream model, named in the chunks until message_start names it
   * @param promptEstimate counts the prompt when the stream ends without any usage
   */
  AnthropicStreamTranslator(String provider, String model, boolean clientWantsUsage, ChunkSink sink,
      IntSupplier promptEstimate) {
    this.provider = provider;
    this.model = model;
    this.clientWantsUsage = clientWantsUsage;
    this.sink = sink;
    this.promptEstimate = promptEstimate;
  }

  void onEvent(String name, byte[] data) {
    if (ended) {
      return;
    }
    JsonNode event;
    try {
      event = Json.MAPPER.readTree(data);
    } catch (Exception e) {
      end(UpstreamException.protocol(provider, "an event is not JSON"));
      return;
    }
    if (event == null) {
      return;
    }
    switch (event.path("type").asText(name == null ? "" : name)) {
      case "message_start" -> messageStart(event.path("message"));
      case "content_block_start" -> blockStart(event.path("index").asInt(), event.path("content_block"));
      case "content_block_delta" -> blockDelta(event.path("index").asInt(), event.path("delta"));
      case "content_block_stop" -> blockStop(event.path("index").asInt());
      case "message_delta" -> messageDelta(event);
      case "message_stop" -> messageStop();
      case "error" -> end(AnthropicErrors.midStream(provider, event));
      default -> { }
    }
  }

  /** The upstream body ended ({@code error} null) or failed. */
  void onClose(UpstreamException error) {
    end(error != null ? error : UpstreamException.protocol(provider, "the stream ended before message_stop"));
  }

  private void messageStart(JsonNode message) {
    id = message.path("id").asText(id);
    model = message.path("model").asText(model);
    usage.add(message.get("usage"));
    ensureStarted();
  }

  private void blockStart(int index, JsonNode block) {
    ensureStarted();
    switch (block.path("type").asText()) {
      case "text" -> text("content", block.path("text").asText(""));
      case "thinking" -> text("reasoning_content", block.path("thinking").asText(""));
      case "tool_use" -> {
        ToolBlock tool = new ToolBlock(toolCount++, block.get("input"));
        tools.put(index, tool);
        ObjectNode call = toolDelta(tool).put("id", block.path("id").asText()).put("type", "function");
        call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
        emitToolCall(call);
      }
      default -> { }
    }
  }

  private void blockDelta(int index, JsonNode delta) {
    switch (delta.path("type").asText()) {
      case "text_delta" -> text("content", delta.path("text").asText(""));
      case "thinking_delta" -> text("reasoning_content", delta.path("thinking").asText(""));
      case "input_json_delta" -> {
        ToolBlock tool = tools.get(index);
        String partial = delta.path("partial_json").asText("");
        if (tool != null && !partial.isEmpty()) {
          tool.streamedInput = true;
          arguments(tool, partial);
        }
      }
      default -> { }
    }
  }

  /** Some compatible servers send a tool's whole input in its start event and no deltas. */
  private void blockStop(int index) {
    ToolBlock tool = tools.get(index);
    if (tool != null && !tool.streamedInput && tool.startInput != null && tool.startInput.isObject()
        && !tool.startInput.isEmpty()) {
      arguments(tool, tool.startInput.toString());
    }
  }

  private void messageDelta(JsonNode event) {
    JsonNode reported = event.get("usage");
    if (reported != null && reported.isObject()) {
      usage.add(reported);
      finalUsage = true;
    }
    finish(AnthropicReplyTranslator.finishReason(event.path("delta").path("stop_reason").asText(null)));
  }

  private void messageStop() {
    finish("stop");
    completed = true;
    if (clientWantsUsage) {
      ObjectNode last = base();
      last.putArray("choices");
      last.set("usage", AnthropicUsage.toOpenAi(usage()));
      sink.onChunk(Buffer.buffer(last.toString()), false);
    }
    end(null);
  }

  private void ensureStarted() {
    if (!started) {
      started = true;
      ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "");
      sink.onChunk(Buffer.buffer(chunk(delta, null).toString()), false);
    }
  }

  private void finish(String reason) {
    if (!finished) {
      ensureStarted();
      finished = true;
      sink.onChunk(Buffer.buffer(chunk(Json.MAPPER.createObjectNode(), reason).toString()), false);
    }
  }

  private void text(String field, String text) {
    if (!text.isEmpty()) {
      ensureStarted();
      emitDelta(Json.MAPPER.createObjectNode().put(field, text));
    }
  }

  private void arguments(ToolBlock tool, String json) {
    ObjectNode call = toolDelta(tool);
    call.putObject("function").put("arguments", json);
    emitToolCall(call);
  }

  private static ObjectNode toolDelta(ToolBlock tool) {
    return Json.MAPPER.createObjectNode().put("index", tool.toolIndex);
  }

  private void emitToolCall(ObjectNode call) {
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.putArray("tool_calls").add(call);
    emitDelta(delta);
  }

  private void emitDelta(ObjectNode delta) {
    contentChunks++;
    sink.onChunk(Buffer.buffer(chunk(delta, null).toString()), true);
  }

  private ObjectNode chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = base();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return chunk;
  }

  private ObjectNode base() {
    return Json.MAPPER.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
        .put("created", created).put("model", model);
  }

  /**
   * Exact when Anthropic's final (cumulative) count arrived or the stream completed; when it
   * broke off first, the output count is at best partial, so it is raised to the number of
   * output chunks relayed and the whole marked as an estimate.
   */
  private Usage usage() {
    if (!usage.reported()) {
      return new Usage(promptEstimate.getAsInt(), contentChunks, 0, 0, true);
    }
    Usage exact = usage.toUsage();
    if (finalUsage || completed) {
      return exact;
    }
    return new Usage(exact.promptTokens(), Math.max(usage.output(), contentChunks), exact.cacheReadTokens(),
        exact.cacheWriteTokens(), true);
  }

  private void end(UpstreamException error) {
    if (ended) {
      return;
    }
    // clients that only look at finish_reason must still see the choice close before the error
    if (error != null) {
      finish("stop");
    }
    ended = true;
    sink.onEnd(usage(), error);
  }
}
