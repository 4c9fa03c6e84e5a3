package io.tokenrouter.api.anthropic;

import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Anthropic's {@code POST /v1/messages/count_tokens}: the input tokens of a Messages request,
 * system and tools included. An Anthropic provider is asked; for any other the gateway counts.
 */
public final class CountTokensApi implements InboundAdapter {
  @Override
  public List<String> paths() {
    return List.of("/v1/messages/count_tokens");
  }

  @Override
  public String credential(MultiMap headers) {
    return AnthropicKey.of(headers);
  }

  @Override
  public Envelope read(byte[] body, MultiMap headers) {
    return MessagesRequestReader.read(body, headers, Operation.COUNT_TOKENS, credential(headers));
  }

  @Override
  public ClientReply reply(Call call, HttpServerResponse response) {
    return new CountReply(response);
  }

  @Override
  public ErrorReply render(GatewayError error) {
    return AnthropicErrors.render(error);
  }

  /** The count as the provider wrote it, or {@code {"input_tokens": N}}. */
  private static final class CountReply implements ClientReply {
    private final HttpServerResponse response;
    private Buffer body;

    CountReply(HttpServerResponse response) {
      this.response = response;
    }

    @Override
    public void begin() {
    }

    @Override
    public void event(ReplyEvent event) {
      if (event instanceof ReplyEvent.Raw r) {
        body = Buffer.buffer(r.data());
      } else if (event instanceof ReplyEvent.TokenCount c && body == null) {
        body = Buffer.buffer("{\"input_tokens\":" + c.inputTokens() + "}");
      }
    }

    @Override
    public void end(GatewayError error) {
      if (error != null || body == null) {
        ErrorReply reply = AnthropicErrors.render(error != null ? error
            : GatewayError.badResponse("upstream", "no token count in the answer"));
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
