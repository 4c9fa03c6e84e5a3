package io.tokenrouter.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.InvalidRequestException;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.envelope.OutputLimit;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI's legacy {@code POST /v1/completions} (stream and not). An OpenAI-format provider gets
 * the request as it is, prompt arrays and token prompts included; any other serves the prompt
 * text as one user turn, its answer written back as {@code text_completion}s.
 */
public final class CompletionsApi implements InboundAdapter {
  private static final Set<String> ENVELOPE_FIELDS = Set.of("model", "stream", "max_tokens", "stop");

  @Override
  public List<String> paths() {
    return List.of("/v1/completions");
  }

  @Override
  public String credential(MultiMap headers) {
    return BearerToken.of(headers);
  }

  @Override
  public Envelope read(byte[] body, MultiMap headers) {
    ObjectNode root = OpenAiJsonBody.parse(body);
    List<String> prompts = OpenAiJsonBody.texts(root.get("prompt"), "prompt");
    JsonNode stream = root.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw new InvalidRequestException("'stream' must be a boolean", "stream");
    }
    OutputLimit limit = null;
    JsonNode max = root.get("max_tokens");
    if (max != null && !max.isNull()) {
      if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1) {
        throw new InvalidRequestException("'max_tokens' must be a positive integer", "max_tokens");
      }
      limit = new OutputLimit(max.intValue(), "max_tokens");
    }
    Map<String, JsonNode> params = new LinkedHashMap<>();
    root.properties().forEach(f -> {
      if (!ENVELOPE_FIELDS.contains(f.getKey())) {
        params.put(f.getKey(), f.getValue());
      }
    });
    List<Block> blocks = prompts.stream().<Block>map(Block.Text::of).toList();
    Message prompt = new Message(Message.USER, blocks, blocks.size() == 1, null);
    return new Envelope(Dialect.OPENAI_COMPLETIONS, Operation.GENERATE, root.get("model").asText(), null,
        List.of(prompt), null, null, null, stream != null && stream.asBoolean(), limit, stop(root.get("stop")), params,
        null, body);
  }

  private static List<String> stop(JsonNode stop) {
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (stop.isTextual()) {
      return List.of(stop.asText());
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : stop) {
      if (!s.isTextual()) {
        throw new InvalidRequestException("'stop' must be a string or an array of strings", "stop");
      }
      out.add(s.asText());
    }
    return out;
  }

  @Override
  public ClientReply reply(Call call, HttpServerResponse response) {
    return new CompletionsReply(call, response);
  }

  @Override
  public ErrorReply render(GatewayError error) {
    return OpenAiErrors.render(error);
  }
}
