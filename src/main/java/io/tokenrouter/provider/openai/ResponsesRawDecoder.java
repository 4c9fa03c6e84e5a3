package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.JsonTaps;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.Usage;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Relays a provider's Responses API answer to a Responses client as it is. Only the final event
 * (where the usage is) is parsed; {@code response.failed} and {@code error} end the stream as a
 * failure, which the client is told of in its API's way.
 */
final class ResponsesRawDecoder implements ReplyDecoder {
  private static final byte[] DELTA = JsonTaps.ascii(".delta\"");
  private final String provider;
  private boolean finished;

  ResponsesRawDecoder(String provider) {
    this.provider = provider;
  }

  @Override
  public void body(byte[] body, Consumer<ReplyEvent> out) {
    JsonNode response = parse(body);
    if (!response.path("output").isArray()) {
      throw GatewayError.badResponse(provider, "the response has no output");
    }
    out.accept(new ReplyEvent.Raw(null, body, true, null));
    Usage usage = usage(response.get("usage"));
    if (usage != null) {
      out.accept(new ReplyEvent.UsageReport(usage));
    }
  }

  @Override
  public void event(String name, byte[] data, Consumer<ReplyEvent> out) {
    String type = name != null ? name : typeOf(data);
    switch (type) {
      case "response.completed", "response.incomplete" -> {
        finished = true;
        out.accept(ReplyEvent.Raw.event(type, data, false));
        Usage usage = usage(parse(data).path("response").get("usage"));
        if (usage != null) {
          out.accept(new ReplyEvent.UsageReport(usage));
        }
      }
      case "response.failed" -> throw GatewayError.midStream(provider,
          parse(data).path("response").path("error").path("message").asText("the response failed"));
      case "error" -> throw GatewayError.midStream(provider, parse(data).path("message").asText("stream error"));
      default -> out.accept(ReplyEvent.Raw.event(type, data, JsonTaps.contains(data, DELTA)));
    }
  }

  @Override
  public void end(Consumer<ReplyEvent> out) {
    if (!finished) {
      throw GatewayError.badResponse(provider, "the stream ended before response.completed");
    }
  }

  private static Usage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    return new Usage(usage.path("input_tokens").asInt(0), usage.path("output_tokens").asInt(0),
        usage.path("input_tokens_details").path("cached_tokens").asInt(0), 0, 0,
        usage.path("output_tokens_details").path("reasoning_tokens").asInt(0), false);
  }

  private static String typeOf(byte[] data) {
    JsonNode type = JsonTaps.topLevelField(data, "type");
    return type == null ? "" : type.asText("");
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
}
