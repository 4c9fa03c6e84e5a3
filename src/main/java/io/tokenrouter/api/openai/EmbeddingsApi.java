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
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's {@code POST /v1/embeddings}: a string, strings, tokens or token arrays in; the
 * provider's vectors out as it wrote them (float or base64, any {@code dimensions}), its usage
 * recorded. The input texts are the envelope's one user turn, so limits count them as a prompt.
 */
public final class EmbeddingsApi implements InboundAdapter {
  @Override
  public List<String> paths() {
    return List.of("/v1/embeddings");
  }

  @Override
  public String credential(MultiMap headers) {
    return BearerToken.of(headers);
  }

  @Override
  public Envelope read(byte[] body, MultiMap headers) {
    ObjectNode root = OpenAiJsonBody.parse(body);
    List<String> texts = OpenAiJsonBody.texts(root.get("input"), "input");
    JsonNode format = root.get("encoding_format");
    if (format != null && !format.isNull() && !"float".equals(format.asText()) && !"base64".equals(format.asText())) {
      throw new InvalidRequestException("'encoding_format' must be 'float' or 'base64'", "encoding_format");
    }
    JsonNode dimensions = root.get("dimensions");
    if (dimensions != null && !dimensions.isNull() && (!dimensions.canConvertToInt() || dimensions.intValue() < 1)) {
      throw new InvalidRequestException("'dimensions' must be a positive integer", "dimensions");
    }
    Map<String, JsonNode> params = new LinkedHashMap<>();
    root.properties().forEach(f -> {
      if (!f.getKey().equals("model")) {
        params.put(f.getKey(), f.getValue());
      }
    });
    List<Block> blocks = texts.stream().<Block>map(Block.Text::of).toList();
    return new Envelope(Dialect.OPENAI_EMBEDDINGS, Operation.EMBED, root.get("model").asText(), null,
        List.of(new Message(Message.USER, blocks, false, null)), null, null, null, false, null, null, params, null,
        body);
  }

  @Override
  public ClientReply reply(Call call, HttpServerResponse response) {
    return new WholeReply(response);
  }

  @Override
  public ErrorReply render(GatewayError error) {
    return OpenAiErrors.render(error);
  }

  /** The provider's list of embeddings, as it wrote it. */
  private static final class WholeReply implements ClientReply {
    private final HttpServerResponse response;
    private Buffer body;

    WholeReply(HttpServerResponse response) {
      this.response = response;
    }

    @Override
    public void begin() {
    }

    @Override
    public void event(ReplyEvent event) {
      if (event instanceof ReplyEvent.Raw r) {
        body = Buffer.buffer(r.data());
      }
    }

    @Override
    public void end(GatewayError error) {
      if (error != null || body == null) {
        ErrorReply reply = OpenAiErrors.render(error != null ? error
            : GatewayError.badResponse("upstream", "no embeddings in the answer"));
        response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(reply.body());
        return;
      }
      response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public void drain(Runnable then) {
      then.run();
    }
  }
}
