package io.tokenrouter.dedup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole answer as one instance hands it to another through Redis: which target gave it, and
 * its reply events in order, each event kind written out field by field.
 *
 * @param provider the configured provider that answered
 * @param model the provider's name for the model
 */
record SharedAnswer(String provider, String model, List<ReplyEvent> events) {
  SharedAnswer {
    events = List.copyOf(events);
  }

  String encode() {
    ObjectNode root = Json.MAPPER.createObjectNode().put("provider", provider).put("model", model);
    ArrayNode array = root.putArray("events");
    for (ReplyEvent e : events) {
      array.add(encode(e));
    }
    return root.toString();
  }

  private static ObjectNode encode(ReplyEvent event) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    switch (event) {
      case ReplyEvent.Start s -> o.put("t", "start").put("id", s.id()).put("model", s.model());
      case ReplyEvent.BlockStart b -> o.put("t", "block_start").put("index", b.index()).put("kind", b.kind().name())
          .put("id", b.id()).put("name", b.name());
      case ReplyEvent.TextDelta d -> o.put("t", "text").put("index", d.index()).put("text", d.text());
      case ReplyEvent.ThinkingDelta d -> o.put("t", "thinking").put("index", d.index()).put("text", d.thinking());
      case ReplyEvent.SignatureDelta d -> o.put("t", "signature").put("index", d.index()).put("text", d.signature());
      case ReplyEvent.ToolInputDelta d -> o.put("t", "tool_input").put("index", d.index()).put("text", d.partialJson());
      case ReplyEvent.BlockStop b -> o.put("t", "block_stop").put("index", b.index());
      case ReplyEvent.Stop s -> o.put("t", "stop").put("reason", s.reason() == null ? null : s.reason().name())
          .put("sequence", s.stopSequence());
      case ReplyEvent.TokenCount c -> o.put("t", "token_count").put("input", c.inputTokens());
      case ReplyEvent.UsageReport u -> {
        Usage usage = u.usage();
        o.put("t", "usage").put("prompt", usage.promptTokens()).put("completion", usage.completionTokens())
            .put("cache_read", usage.cacheReadTokens()).put("cache_write", usage.cacheWriteTokens())
            .put("cache_write_1h", usage.cacheWrite1hTokens()).put("reasoning", usage.reasoningTokens())
            .put("estimated", usage.estimated());
      }
      case ReplyEvent.Head h -> {
        o.put("t", "head").put("status", h.status());
        ObjectNode headers = o.putObject("headers");
        h.headers().forEach(headers::put);
      }
      case ReplyEvent.Raw r -> o.put("t", "raw").put("event", r.event())
          .put("data", Base64.getEncoder().encodeToString(r.data())).put("output", r.output()).put("text", r.text());
    }
    return o;
  }

  static SharedAnswer decode(String text) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<ReplyEvent> events = new ArrayList<>();
    for (JsonNode e : root.path("events")) {
      events.add(decode(e));
    }
    return new SharedAnswer(root.path("provider").asText(), root.path("model").asText(), events);
  }

  private static ReplyEvent decode(JsonNode e) {
    int index = e.path("index").asInt();
    return switch (e.path("t").asText()) {
      case "start" -> new ReplyEvent.Start(text(e, "id"), text(e, "model"));
      case "block_start" -> new ReplyEvent.BlockStart(index, ReplyEvent.BlockKind.valueOf(e.path("kind").asText()),
          text(e, "id"), text(e, "name"));
      case "text" -> new ReplyEvent.TextDelta(index, text(e, "text"));
      case "thinking" -> new ReplyEvent.ThinkingDelta(index, text(e, "text"));
      case "signature" -> new ReplyEvent.SignatureDelta(index, text(e, "text"));
      case "tool_input" -> new ReplyEvent.ToolInputDelta(index, text(e, "text"));
      case "block_stop" -> new ReplyEvent.BlockStop(index);
      case "stop" -> new ReplyEvent.Stop(e.path("reason").isTextual() ? StopReason.valueOf(e.get("reason").asText())
          : null, text(e, "sequence"));
      case "token_count" -> new ReplyEvent.TokenCount(e.path("input").asInt());
      case "usage" -> new ReplyEvent.UsageReport(new Usage(e.path("prompt").asInt(), e.path("completion").asInt(),
          e.path("cache_read").asInt(), e.path("cache_write").asInt(), e.path("cache_write_1h").asInt(),
          e.path("reasoning").asInt(), e.path("estimated").asBoolean()));
      case "head" -> {
        Map<String, String> headers = new LinkedHashMap<>();
        e.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        yield new ReplyEvent.Head(e.path("status").asInt(), headers);
      }
      case "raw" -> new ReplyEvent.Raw(text(e, "event"), Base64.getDecoder().decode(e.path("data").asText()),
          e.path("output").asBoolean(), text(e, "text"));
      default -> throw new IllegalArgumentException("unknown shared reply event " + e.path("t").asText());
    };
  }

  private static String text(JsonNode e, String field) {
    JsonNode v = e.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
