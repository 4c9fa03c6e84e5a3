package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import java.io.IOException;
import java.util.function.Consumer;

/** Reads the answer of {@code POST /v1/messages/count_tokens}: {@code {"input_tokens": N}}. */
final class AnthropicCountDecoder implements ReplyDecoder {
  private final String provider;
  private final boolean raw;

  AnthropicCountDecoder(String provider, boolean raw) {
    this.provider = provider;
    this.raw = raw;
  }

  @Override
  public void body(byte[] body, Consumer<ReplyEvent> out) {
    JsonNode count;
    try {
      count = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw GatewayError.badResponse(provider, "the token count is not valid JSON");
    }
    if (count == null || !count.path("input_tokens").canConvertToInt()) {
      throw GatewayError.badResponse(provider, "the token count has no input_tokens");
    }
    if (raw) {
      out.accept(new ReplyEvent.Raw(null, body, false, null));
    }
    out.accept(new ReplyEvent.TokenCount(count.get("input_tokens").intValue()));
  }

  @Override
  public void event(String name, byte[] data, Consumer<ReplyEvent> out) {
    throw GatewayError.badResponse(provider, "a token count arrived as a stream");
  }

  @Override
  public void end(Consumer<ReplyEvent> out) {
  }
}
