package io.tokenrouter.api.openai;

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
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a chat completion in OpenAI's format: the provider's own bytes when it speaks this
 * format, else built from neutral events ({@code chat.completion.chunk}s as they come for a
 * stream, one {@code chat.completion} for a whole answer). A stream always ends with
 * {@code data: [DONE]}; one that fails after its head ends with an error event before it.
 */
final class ChatReply implements ClientReply {
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);
  private final Call call;
  private final HttpServerResponse response;
  private final boolean stream;
  private final SseWriter sse;
  private final long created = System.currentTimeMillis() / 1000;
  /** The tool-call ordinal of each tool block, by block index. */
  private final Map<Integer, Integer> tools = new HashMap<>();
  private String id;
  private String model;
  private boolean raw;
  private boolean startedChunks;
  /** The chunks of a streamed text and of a streamed reasoning, written once (see {@link #deltaTemplate}). */
  private DeltaTemplate contentDelta;
  private DeltaTemplate reasoningDelta;
  private boolean finished;
  private Usage usage;
  private Buffer rawBody;
  private StringBuilder text;
  private StringBuilder reasoning;
  private ArrayNode toolCalls;
  private StopReason stop;

  ChatReply(Call call, HttpServerResponse response) {
    this.call = call;
    this.response = response;
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
        contentDelta = null;
        reasoningDelta = null;
      }
      case ReplyEvent.BlockStart b when b.kind() == ReplyEvent.BlockKind.TOOL_USE -> toolStart(b);
      case ReplyEvent.TextDelta t -> content("content", t.text());
      case ReplyEvent.ThinkingDelta t -> content("reasoning_content", t.thinking());
      case ReplyEvent.ToolInputDelta t -> toolArguments(t);
      case ReplyEvent.Stop s -> finish(s.reason());
      case ReplyEvent.UsageReport u -> usage = u.usage();
      default -> { }
    }
  }

  private void content(String field, String delta) {
    if (stream) {
      startChunks();
      sse.event(null, deltaTemplate(field).render(delta));
    } else if (field.equals("content")) {
      text = append(text, delta);
    } else {
      reasoning = append(reasoning, delta);
    }
  }

  private static StringBuilder append(StringBuilder sb, String delta) {
    return (sb == null ? new StringBuilder() : sb).append(delta);
  }

  private void toolStart(ReplyEvent.BlockStart b) {
    int ordinal = tools.size();
    tools.put(b.index(), ordinal);
    ObjectNode call = Json.MAPPER.createObjectNode();
    if (stream) {
      call.put("index", ordinal);
    }
    call.put("id", b.id()).put("type", "function");
    call.putObject("function").put("name", b.name()).put("arguments", "");
    if (stream) {
      ObjectNode d = Json.MAPPER.createObjectNode();
      d.putArray("tool_calls").add(call);
      chunk(d, null);
    } else {
      if (toolCalls == null) {
        toolCalls = Json.MAPPER.createArrayNode();
      }
      toolCalls.add(call);
    }
  }

  private void toolArguments(ReplyEvent.ToolInputDelta t) {
    Integer ordinal = tools.get(t.index());
    if (ordinal == null) {
      return;
    }
    if (stream) {
      ObjectNode d = Json.MAPPER.createObjectNode();
      d.putArray("tool_calls").addObject().put("index", ordinal).putObject("function")
          .put("arguments", t.partialJson());
      chunk(d, null);
    } else {
      ObjectNode function = (ObjectNode) toolCalls.get(ordinal).get("function");
      function.put("arguments", function.get("arguments").asText() + t.partialJson());
    }
  }

  private void finish(StopReason reason) {
    if (finished) {
      return;
    }
    finished = true;
    stop = reason;
    if (stream) {
      chunk(Json.MAPPER.createObjectNode(), finishReason(reason));
    }
  }

  /** One {@code chat.completion.chunk}; the first of a stream also names the role. */
  private void chunk(ObjectNode delta, String finishReason) {
    startChunks();
    sse.event(null, Json.bytes(chunkNode(delta, finishReason)));
  }

  private void startChunks() {
    if (!startedChunks) {
      startedChunks = true;
      ObjectNode role = Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "");
      sse.event(null, Json.bytes(chunkNode(role, null)));
    }
  }

  /** The chunk that carries one text in {@code field}, written once per stream (see {@link DeltaTemplate}). */
  private DeltaTemplate deltaTemplate(String field) {
    boolean content = field.equals("content");
    DeltaTemplate template = content ? contentDelta : reasoningDelta;
    if (template == null) {
      template = DeltaTemplate.of(chunkNode(Json.MAPPER.createObjectNode().put(field, DeltaTemplate.TEXT), null));
      if (content) {
        contentDelta = template;
      } else {
        reasoningDelta = template;
      }
    }
    return template;
  }

  private ObjectNode chunkNode(ObjectNode delta, String finishReason) {
    ObjectNode chunk = header("chat.completion.chunk");
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return chunk;
  }

  private ObjectNode header(String object) {
    return Json.MAPPER.createObjectNode()
        .put("id", id != null ? id : "chatcmpl-" + call.id())
        .put("object", object)
        .put("created", created)
        .put("model", model != null ? model : call.target() != null ? call.target().model() : call.envelope().model());
  }

  @Override
  public void end(GatewayError error) {
    if (stream) {
      endStream(error);
    } else if (error == null) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(raw ? rawBody : completion());
    } else {
      ErrorReply reply = OpenAiErrors.render(error);
      response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body());
    }
  }

  private void endStream(GatewayError error) {
    if (error != null) {
      if (!raw) {
        // clients that only look at finish_reason must still see the choice close
        finish(StopReason.END_TURN);
      }
      sse.event(null, OpenAiErrors.render(error).body().getBytes());
    } else if (!raw && usage != null && call.envelope().clientWantsStreamUsage()) {
      ObjectNode last = header("chat.completion.chunk");
      last.putArray("choices");
      last.set("usage", OpenAiUsageJson.of(usage));
      sse.event(null, Json.bytes(last));
    }
    sse.event(null, DONE);
    sse.end();
  }

  private Buffer completion() {
    ObjectNode out = header("chat.completion");
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    if (text == null) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    // DeepSeek's field for visible reasoning, which OpenAI-format clients already understand
    if (reasoning != null) {
      message.put("reasoning_content", reasoning.toString());
    }
    if (toolCalls != null) {
      message.set("tool_calls", toolCalls);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(stop));
    if (usage != null) {
      out.set("usage", OpenAiUsageJson.of(usage));
    }
    return Buffer.buffer(Json.bytes(out));
  }

  /** A neutral stop reason as OpenAI's finish_reason. */
  static String finishReason(StopReason reason) {
    if (reason == null) {
      return "stop";
    }
    return switch (reason) {
      case MAX_TOKENS, CONTEXT_WINDOW -> "length";
      case TOOL_USE -> "tool_calls";
      case REFUSAL -> "content_filter";
      case END_TURN, STOP_SEQUENCE, PAUSE_TURN -> "stop";
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
