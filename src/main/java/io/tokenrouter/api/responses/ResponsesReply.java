package io.tokenrouter.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.DeltaTemplate;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.SseWriter;
import io.tokenrouter.api.openai.OpenAiErrors;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.openai.ResponsesItems;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a Responses API answer. A provider that speaks this API is relayed as its own bytes; any
 * other answer is built from neutral events: for a stream, the documented sequence
 * ({@code response.created}, {@code response.in_progress}, each output item added, its content
 * part, its deltas, done events, then {@code response.completed} or {@code response.incomplete},
 * or {@code response.failed} when the answer broke off), every event carrying its
 * {@code sequence_number}; for a whole answer, one response object.
 *
 * <p>A completed answer is kept for {@code previous_response_id} unless the client said
 * {@code store: false}.
 */
final class ResponsesReply implements ClientReply {
  private final Call call;
  private final HttpServerResponse response;
  private final ResponseArchive archive;
  private final boolean stream;
  private final SseWriter sse;
  private final long createdAt = System.currentTimeMillis() / 1000;
  private final Map<Integer, Item> items = new HashMap<>();
  private ObjectNode body;
  private int sequence;
  private boolean raw;
  private Buffer rawBody;
  private ObjectNode rawFinal;
  private String rawId;
  private Usage usage;
  private StopReason stop;

  /**
   * One output item being built from a neutral block; {@code delta} writes its streamed deltas
   * (null unless streaming).
   */
  private record Item(int outputIndex, ReplyEvent.BlockKind kind, ObjectNode node, StringBuilder content,
      DeltaTemplate delta) {
    String id() {
      return node.get("id").asText();
    }
  }

  ResponsesReply(Call call, HttpServerResponse response, ResponseArchive archive) {
    this.call = call;
    this.response = response;
    this.archive = archive;
    this.stream = call.envelope().stream();
    this.sse = stream ? new SseWriter(response) : null;
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
      case ReplyEvent.Raw r -> relay(r);
      case ReplyEvent.Start s -> started(s.model());
      case ReplyEvent.BlockStart b -> blockStart(b);
      case ReplyEvent.TextDelta t -> delta(t.index(), t.text());
      case ReplyEvent.ThinkingDelta t -> delta(t.index(), t.thinking());
      case ReplyEvent.ToolInputDelta t -> delta(t.index(), t.partialJson());
      case ReplyEvent.BlockStop b -> blockStop(b.index());
      case ReplyEvent.Stop s -> stop = s.reason();
      case ReplyEvent.UsageReport u -> usage = u.usage();
      default -> { }
    }
  }

  private void relay(ReplyEvent.Raw r) {
    raw = true;
    if (!stream) {
      rawBody = Buffer.buffer(r.data());
      rawFinal = keeps() ? parse(r.data()) : null;
      return;
    }
    sse.event(r.event(), r.data());
    if (r.event() != null && r.event().startsWith("response.")) {
      // the final event, the whole response again (a Codex turn's reasoning and calls), is read only to be kept
      ObjectNode data = r.event().equals("response.created") || isFinal(r.event()) && keeps() ? parse(r.data())
          : null;
      if (data != null && data.get("response") instanceof ObjectNode resp) {
        rawId = resp.path("id").asText(null);
        if (isFinal(r.event())) {
          rawFinal = resp;
        }
      }
      JsonNode seq = data == null ? null : data.get("sequence_number");
      if (seq != null && seq.canConvertToInt()) {
        sequence = seq.intValue() + 1;
      }
    }
  }

  private static boolean isFinal(String event) {
    return event.equals("response.completed") || event.equals("response.incomplete")
        || event.equals("response.failed");
  }

  private static ObjectNode parse(byte[] data) {
    try {
      return Json.MAPPER.readTree(data) instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void started(String model) {
    if (body != null) {
      return;
    }
    String name = model != null ? model : call.target() != null ? call.target().model() : call.envelope().model();
    body = ResponseJson.response(ResponseJson.id("resp"), createdAt, name, call.envelope(),
        call.get(ResponsesHistory.PREVIOUS));
    if (stream) {
      send("response.created", Json.MAPPER.createObjectNode().set("response", body.deepCopy()));
      send("response.in_progress", Json.MAPPER.createObjectNode().set("response", body.deepCopy()));
    }
  }

  private void blockStart(ReplyEvent.BlockStart b) {
    started(null);
    ArrayNode output = (ArrayNode) body.get("output");
    ObjectNode node = Json.MAPPER.createObjectNode();
    switch (b.kind()) {
      case TEXT -> {
        node.put("id", ResponseJson.id("msg")).put("type", "message").put("status", "in_progress");
        node.putArray("content");
        node.put("role", "assistant");
      }
      case THINKING -> {
        node.put("id", ResponseJson.id("rs")).put("type", "reasoning");
        node.putArray("summary");
        node.putArray("content");
      }
      case TOOL_USE -> node.put("id", ResponseJson.id("fc")).put("type", "function_call").put("status", "in_progress")
          .put("arguments", "").put("call_id", b.id()).put("name", b.name());
      case REDACTED_THINKING -> {
        return;
      }
    }
    Item item = new Item(output.size(), b.kind(), node, new StringBuilder(),
        stream ? deltaTemplate(b.kind(), output.size(), node.get("id").asText()) : null);
    items.put(b.index(), item);
    output.add(node);
    if (!stream) {
      return;
    }
    send("response.output_item.added", itemEvent(item).set("item", node.deepCopy()));
    if (b.kind() != ReplyEvent.BlockKind.TOOL_USE) {
      send("response.content_part.added", partEvent(item).set("part", part(item)));
    }
  }

  private void delta(int index, String delta) {
    Item item = items.get(index);
    if (item == null || delta.isEmpty()) {
      return;
    }
    item.content().append(delta);
    if (!stream) {
      return;
    }
    sse.event(deltaType(item.kind()), item.delta().render(delta, sequence++));
  }

  private static String deltaType(ReplyEvent.BlockKind kind) {
    return switch (kind) {
      case TEXT -> "response.output_text.delta";
      case THINKING -> "response.reasoning_text.delta";
      default -> "response.function_call_arguments.delta";
    };
  }

  /** The shape of an item's delta events, written once per item (see {@link DeltaTemplate}). */
  private static DeltaTemplate deltaTemplate(ReplyEvent.BlockKind kind, int outputIndex, String itemId) {
    ObjectNode event = kind == ReplyEvent.BlockKind.TOOL_USE ? itemEvent(itemId, outputIndex)
        : partEvent(itemId, outputIndex);
    event.put("delta", DeltaTemplate.TEXT);
    if (kind == ReplyEvent.BlockKind.TEXT) {
      event.putArray("logprobs");
    }
    return DeltaTemplate.of(typed(deltaType(kind), event, DeltaTemplate.NUMBER));
  }

  private void blockStop(int index) {
    Item item = items.remove(index);
    if (item == null) {
      return;
    }
    String content = item.content().toString();
    ObjectNode node = item.node();
    switch (item.kind()) {
      case TEXT -> {
        node.put("status", "completed");
        ((ArrayNode) node.get("content")).add(part(item));
        if (stream) {
          ObjectNode done = partEvent(item).put("text", content);
          done.putArray("logprobs");
          send("response.output_text.done", done);
        }
      }
      case THINKING -> {
        ((ArrayNode) node.get("content")).add(part(item));
        if (stream) {
          send("response.reasoning_text.done", partEvent(item).put("text", content));
        }
      }
      case TOOL_USE -> {
        node.put("status", "completed").put("arguments", content);
        if (stream) {
          send("response.function_call_arguments.done", itemEvent(item).put("arguments", content)
              .put("name", node.path("name").asText()));
        }
      }
      default -> { }
    }
    if (stream) {
      if (item.kind() != ReplyEvent.BlockKind.TOOL_USE) {
        send("response.content_part.done", partEvent(item).set("part", part(item)));
      }
      send("response.output_item.done", itemEvent(item).set("item", node.deepCopy()));
    }
  }

  private ObjectNode part(Item item) {
    ObjectNode part = Json.MAPPER.createObjectNode();
    if (item.kind() == ReplyEvent.BlockKind.TEXT) {
      part.put("type", "output_text");
      part.putArray("annotations");
      part.putArray("logprobs");
    } else {
      part.put("type", "reasoning_text");
    }
    return part.put("text", item.content().toString());
  }

  private static ObjectNode itemEvent(Item item) {
    return itemEvent(item.id(), item.outputIndex());
  }

  private static ObjectNode itemEvent(String itemId, int outputIndex) {
    return Json.MAPPER.createObjectNode().put("item_id", itemId).put("output_index", outputIndex);
  }

  private static ObjectNode partEvent(Item item) {
    return partEvent(item.id(), item.outputIndex());
  }

  private static ObjectNode partEvent(String itemId, int outputIndex) {
    return itemEvent(itemId, outputIndex).put("content_index", 0);
  }

  private void send(String type, ObjectNode event) {
    sse.event(type, ResponseJson.bytes(typed(type, event, sequence++)));
  }

  private static ObjectNode typed(String type, ObjectNode event, long sequence) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("type", type);
    out.setAll(event);
    return out.put("sequence_number", sequence);
  }

  @Override
  public void end(GatewayError error) {
    if (raw) {
      endRaw(error);
      return;
    }
    if (error != null && !stream) {
      ErrorReply reply = OpenAiErrors.render(error);
      response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body());
      return;
    }
    started(null);
    for (Integer open : items.keySet().stream().sorted().toList()) {
      blockStop(open);
    }
    if (error != null) {
      fail(body, error);
      return;
    }
    ResponseJson.finish(body, stop);
    body.set("usage", ResponseJson.usage(usage != null ? usage : Usage.NONE));
    keep(body);
    if (stream) {
      String type = "completed".equals(body.path("status").asText()) ? "response.completed" : "response.incomplete";
      send(type, Json.MAPPER.createObjectNode().set("response", body));
      sse.end();
    } else {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(ResponseJson.bytes(body)));
    }
  }

  private void endRaw(GatewayError error) {
    String status = rawFinal == null ? null : rawFinal.path("status").asText();
    if (error == null && ("completed".equals(status) || "incomplete".equals(status))) {
      keep(rawFinal);
    }
    if (!stream) {
      if (error != null) {
        ErrorReply reply = OpenAiErrors.render(error);
        response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(reply.body());
      } else {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(rawBody);
      }
      return;
    }
    if (error != null) {
      String id = rawId != null ? rawId : ResponseJson.id("resp");
      fail(ResponseJson.response(id, createdAt, call.target().model(), call.envelope(),
          call.get(ResponsesHistory.PREVIOUS)), error);
      return;
    }
    sse.end();
  }

  /** Ends a stream that broke off as the Responses API does: {@code response.failed}. */
  private void fail(ObjectNode failed, GatewayError error) {
    failed.put("status", "failed");
    failed.putObject("error").put("code", error.code()).put("message", error.getMessage());
    if (usage != null) {
      failed.set("usage", ResponseJson.usage(usage));
    }
    if (!stream) {
      ErrorReply reply = OpenAiErrors.render(error);
      response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body());
      return;
    }
    send("response.failed", Json.MAPPER.createObjectNode().set("response", failed));
    sse.end();
  }

  /**
   * Whether the answer is kept for a later {@code previous_response_id}:
   * unless the client sent {@code store: false}.
   */
  private boolean keeps() {
    JsonNode store = call.envelope().params().get("store");
    return store == null || !store.isBoolean() || store.asBoolean();
  }

  /** Keeps the answer for a later {@code previous_response_id}, unless the client asked not to. */
  private void keep(ObjectNode done) {
    if (!keeps() || !done.path("id").isTextual()) {
      return;
    }
    ArrayNode conversation = ResponsesItems.of(call.envelope().messages());
    for (JsonNode item : done.path("output")) {
      conversation.add(item);
    }
    archive.save(done.get("id").asText(), call.identity().keyId(), done, conversation);
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
