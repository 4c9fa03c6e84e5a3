package io.tokenrouter.api.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.DeltaTemplate;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.SseWriter;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Writes an Anthropic Messages answer: the provider's own bytes when it speaks this format, else
 * built from neutral events: the documented event sequence for a stream ({@code message_start},
 * blocks, {@code message_delta} with the stop reason and usage, {@code message_stop}), one
 * {@code message} for a whole answer. A stream that fails after its head ends with an
 * {@code error} event, as Anthropic's do.
 */
final class MessagesReply implements ClientReply {
  private final Call call;
  private final HttpServerResponse response;
  private final boolean stream;
  private final SseWriter sse;
  private final IntSupplier promptEstimate;
  /** Whole answers: the blocks being built, by index. */
  private final Map<Integer, ObjectNode> blocks = new HashMap<>();
  private final Map<Integer, StringBuilder> toolInputs = new HashMap<>();
  private ArrayNode content;
  private String id;
  private String model;
  private boolean raw;
  private Buffer rawBody;
  private boolean started;
  private Usage usage;
  private StopReason stop;
  private String stopSequence;
  /** The delta event of the block streaming now, written once per block and kind (see {@link DeltaTemplate}). */
  private DeltaTemplate deltaTemplate;
  private int deltaIndex;
  private String deltaType;

  /** @param promptEstimate the prompt's input tokens, for message_start when no usage has arrived yet */
  MessagesReply(Call call, HttpServerResponse response, IntSupplier promptEstimate) {
    this.call = call;
    this.response = response;
    this.stream = call.envelope().stream();
    this.sse = stream ? new SseWriter(response) : null;
    this.promptEstimate = promptEstimate;
  }

  @Override
  public void begin() {
    if (stream) {
      sse.begin();
    }
  }

  @Override
  public void event(ReplyEvent event) {
    switch (event) {
      case ReplyEvent.Raw r -> {
        raw = true;
        if (stream) {
          sse.event(r.event(), r.data());
        } else {
          rawBody = Buffer.buffer(r.data());
        }
      }
      case ReplyEvent.Start s -> {
        id = s.id();
        model = s.model();
      }
      case ReplyEvent.UsageReport u -> usage = u.usage();
      case ReplyEvent.BlockStart b -> blockStart(b);
      case ReplyEvent.TextDelta t -> delta(t.index(), "text_delta", "text", t.text());
      case ReplyEvent.ThinkingDelta t -> delta(t.index(), "thinking_delta", "thinking", t.thinking());
      case ReplyEvent.SignatureDelta t -> delta(t.index(), "signature_delta", "signature", t.signature());
      case ReplyEvent.ToolInputDelta t -> delta(t.index(), "input_json_delta", "partial_json", t.partialJson());
      case ReplyEvent.BlockStop b -> blockStop(b.index());
      case ReplyEvent.Stop s -> {
        stop = s.reason();
        stopSequence = s.stopSequence();
      }
      default -> { }
    }
  }

  private void ensureStarted() {
    if (started || !stream) {
      return;
    }
    started = true;
    ObjectNode message = message();
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    Usage known = usage != null ? usage : new Usage(promptEstimate.getAsInt(), 0, 0, 0, true);
    ObjectNode startUsage = AnthropicUsageJson.of(known);
    startUsage.put("output_tokens", Math.min(1, known.completionTokens()));
    message.set("usage", startUsage);
    ObjectNode event = Json.MAPPER.createObjectNode().put("type", "message_start");
    event.set("message", message);
    send("message_start", event);
  }

  private ObjectNode message() {
    ObjectNode message = Json.MAPPER.createObjectNode()
        .put("id", id != null ? id : "msg_" + call.id())
        .put("type", "message")
        .put("role", "assistant")
        .put("model", model != null ? model : call.target() != null ? call.target().model() : call.envelope().model());
    return message;
  }

  private void blockStart(ReplyEvent.BlockStart b) {
    ObjectNode block = Json.MAPPER.createObjectNode();
    switch (b.kind()) {
      case TEXT -> block.put("type", "text").put("text", "");
      // a signature is always present, empty when the provider gave none (reasoning_content):
      // Anthropic's SDKs require the field to send the block back on the next turn
      case THINKING -> block.put("type", "thinking").put("thinking", "").put("signature", "");
      case REDACTED_THINKING -> block.put("type", "redacted_thinking").put("data", "");
      case TOOL_USE -> {
        block.put("type", "tool_use").put("id", b.id()).put("name", b.name());
        block.putObject("input");
      }
    }
    if (stream) {
      ensureStarted();
      ObjectNode event = Json.MAPPER.createObjectNode().put("type", "content_block_start").put("index", b.index());
      event.set("content_block", block);
      send("content_block_start", event);
    } else {
      if (content == null) {
        content = Json.MAPPER.createArrayNode();
      }
      content.add(block);
      blocks.put(b.index(), block);
    }
  }

  private void delta(int index, String type, String field, String value) {
    if (stream) {
      ensureStarted();
      if (deltaTemplate == null || deltaIndex != index || !deltaType.equals(type)) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", index);
        event.putObject("delta").put("type", type).put(field, DeltaTemplate.TEXT);
        deltaTemplate = DeltaTemplate.of(event);
        deltaIndex = index;
        deltaType = type;
      }
      sse.event("content_block_delta", deltaTemplate.render(value));
      return;
    }
    ObjectNode block = blocks.get(index);
    if (block == null) {
      return;
    }
    if (field.equals("partial_json")) {
      toolInputs.computeIfAbsent(index, i -> new StringBuilder()).append(value);
    } else {
      block.put(field, block.path(field).asText("") + value);
    }
  }

  private void blockStop(int index) {
    if (stream) {
      send("content_block_stop", Json.MAPPER.createObjectNode().put("type", "content_block_stop").put("index", index));
      return;
    }
    StringBuilder input = toolInputs.remove(index);
    if (input != null) {
      blocks.get(index).set("input", inputObject(input.toString()));
    }
  }

  /** A tool's arguments as the object Anthropic's clients expect; empty when the provider sent nonsense. */
  private static JsonNode inputObject(String json) {
    try {
      JsonNode parsed = Json.MAPPER.readTree(json);
      return parsed != null && parsed.isObject() ? parsed : Json.MAPPER.createObjectNode();
    } catch (JsonProcessingException e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  private void send(String name, ObjectNode event) {
    sse.event(name, Json.bytes(event));
  }

  @Override
  public void end(GatewayError error) {
    if (stream) {
      endStream(error);
    } else if (error == null) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(raw ? rawBody : wholeMessage());
    } else {
      ErrorReply reply = AnthropicErrors.render(error);
      response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body());
    }
  }

  private void endStream(GatewayError error) {
    if (error != null) {
      sse.event("error", AnthropicErrors.body(error).getBytes());
    } else if (!raw) {
      ensureStarted();
      ObjectNode delta = Json.MAPPER.createObjectNode().put("type", "message_delta");
      ObjectNode d = delta.putObject("delta").put("stop_reason", stopReason(stop));
      if (stopSequence == null) {
        d.putNull("stop_sequence");
      } else {
        d.put("stop_sequence", stopSequence);
      }
      delta.set("usage", AnthropicUsageJson.of(usage != null ? usage : Usage.NONE));
      send("message_delta", delta);
      send("message_stop", Json.MAPPER.createObjectNode().put("type", "message_stop"));
    }
    sse.end();
  }

  private Buffer wholeMessage() {
    ObjectNode message = message();
    message.set("content", content != null ? content : Json.MAPPER.createArrayNode());
    message.put("stop_reason", stopReason(stop));
    if (stopSequence == null) {
      message.putNull("stop_sequence");
    } else {
      message.put("stop_sequence", stopSequence);
    }
    message.set("usage", AnthropicUsageJson.of(usage != null ? usage : Usage.NONE));
    return Buffer.buffer(Json.bytes(message));
  }

  /** A neutral stop reason as Anthropic's stop_reason. */
  static String stopReason(StopReason reason) {
    if (reason == null) {
      return "end_turn";
    }
    return switch (reason) {
      case END_TURN -> "end_turn";
      case MAX_TOKENS -> "max_tokens";
      case STOP_SEQUENCE -> "stop_sequence";
      case TOOL_USE -> "tool_use";
      case REFUSAL -> "refusal";
      case PAUSE_TURN -> "pause_turn";
      case CONTEXT_WINDOW -> "model_context_window_exceeded";
    };
  }


  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public void drain(Runnable then) {
    response.drainHandler(v -> then.run());
  }
}
