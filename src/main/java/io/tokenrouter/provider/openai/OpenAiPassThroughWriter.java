package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.provider.RequestBodies;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes a legacy completions or embeddings request for an OpenAI-format server: the client's
 * own bytes while nothing changed them (the provider's model name and a stream's usage option put
 * in), else its fields (the prompt or input among them) with the provider's model name and the
 * gateway's output limit; a stream always asks for usage.
 */
final class OpenAiPassThroughWriter {
  private OpenAiPassThroughWriter() {}

  static Buffer write(Envelope env, String model) {
    boolean generate = env.operation() == Operation.GENERATE;
    Buffer own = StreamUsageOption.clientBytes(env, model);
    if (own != null) {
      return own;
    }
    ByteArrayBuilder out = new ByteArrayBuilder();
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      for (Map.Entry<String, JsonNode> p : env.params().entrySet()) {
        if (!p.getKey().equals("stream_options")) {
          g.writeFieldName(p.getKey());
          g.writeTree(p.getValue());
        }
      }
      if (generate && env.maxOutput() != null) {
        g.writeNumberField("max_tokens", env.maxOutput().tokens());
      }
      if (generate && !env.stopSequences().isEmpty()) {
        g.writeArrayFieldStart("stop");
        for (String s : env.stopSequences()) {
          g.writeString(s);
        }
        g.writeEndArray();
      }
      if (generate && env.stream()) {
        g.writeBooleanField("stream", true);
        ObjectNode options = env.params().get("stream_options") instanceof ObjectNode o
            ? o.deepCopy() : Json.MAPPER.createObjectNode();
        options.put("include_usage", true);
        g.writeFieldName("stream_options");
        g.writeTree(options);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return RequestBodies.of(out.toByteArray());
  }
}
