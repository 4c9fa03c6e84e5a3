package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.JsonTaps;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Relays an Anthropic answer to an Anthropic-format client byte for byte, events of types this
 * gateway has never seen included. Only {@code message_start} and {@code message_delta} (small,
 * and where the usage is) are parsed; an {@code error} event ends the stream in the client's
 * format like any other failure.
 */
final class AnthropicRawDecoder implements ReplyDecoder {
  private static final byte[] DELTA_WITH_OUTPUT = JsonTaps.ascii("_delta\",\"");
  private static final byte[] TOOL_USE = JsonTaps.ascii("\"tool_use\"");
  private final String provider;
  private final AnthropicUsage usage = new AnthropicUsage();
  private boolean stopped;

  AnthropicRawDecoder(String provider) {
    this.provider = provider;
  }

  @Override
  public void body(byte[] body, Consumer<ReplyEvent> out) {
    JsonNode reported = JsonTaps.rootField(body, "usage", provider);
    usage.add(reported);
    out.accept(new ReplyEvent.Raw(null, body, true, usage.reported() ? null : text(body)));
    if (usage.reported()) {
      out.accept(new ReplyEvent.UsageReport(usage.toUsage()));
    }
  }

  private static String text(byte[] body) {
    JsonNode content = JsonTaps.topLevelField(body, "content");
    StringBuilder sb = new StringBuilder();
    if (content != null) {
      for (JsonNode block : content) {
        sb.append(block.path("text").asText("")).append(block.path("thinking").asText(""));
      }
    }
    return sb.toString();
  }

  @Override
  public void event(String name, byte[] data, Consumer<ReplyEvent> out) {
    String type = name != null ? name : typeOf(data);
    switch (type) {
      case "message_start" -> {
        out.accept(ReplyEvent.Raw.event(name, data, false));
        report(parse(data).path("message").get("usage"), out);
      }
      case "message_delta" -> {
        out.accept(ReplyEvent.Raw.event(name, data, false));
        report(parse(data).get("usage"), out);
      }
      case "message_stop" -> {
        stopped = true;
        out.accept(ReplyEvent.Raw.event(name, data, false));
      }
      case "content_block_delta" -> out.accept(ReplyEvent.Raw.event(name, data,
          JsonTaps.contains(data, DELTA_WITH_OUTPUT)));
      case "content_block_start" -> out.accept(ReplyEvent.Raw.event(name, data, JsonTaps.contains(data, TOOL_USE)));
      case "error" -> throw AnthropicErrors.midStream(provider, parse(data));
      default -> out.accept(ReplyEvent.Raw.event(name, data, false));
    }
  }

  @Override
  public void end(Consumer<ReplyEvent> out) {
    if (!stopped) {
      throw GatewayError.badResponse(provider, "the stream ended before message_stop");
    }
  }

  private void report(JsonNode reported, Consumer<ReplyEvent> out) {
    if (reported != null && reported.isObject()) {
      usage.add(reported);
      out.accept(new ReplyEvent.UsageReport(usage.toUsage()));
    }
  }

  private String typeOf(byte[] data) {
    JsonNode type = JsonTaps.topLevelField(data, "type");
    return type == null ? "" : type.asText("");
  }

  private JsonNode parse(byte[] data) {
    try {
      JsonNode node = Json.MAPPER.readTree(data);
      return node == null ? Json.MAPPER.createObjectNode() : node;
    } catch (IOException e) {
      throw GatewayError.badResponse(provider, "an event is not valid JSON (" + JsonTaps.reason(e) + ")");
    }
  }
}
