package io.tokenrouter.api.anthropic;

import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Anthropic's {@code POST /v1/messages} (also as Claude Code calls it, {@code ?beta=true}),
 * streamed or not, in front of any provider.
 */
public final class MessagesApi implements InboundAdapter {
  private final TokenEstimator tokens;

  public MessagesApi(TokenEstimator tokens) {
    this.tokens = tokens;
  }

  @Override
  public List<String> paths() {
    return List.of("/v1/messages");
  }

  @Override
  public String credential(MultiMap headers) {
    return AnthropicKey.of(headers);
  }

  @Override
  public Envelope read(byte[] body, MultiMap headers) {
    return MessagesRequestReader.read(body, headers, Operation.GENERATE, credential(headers));
  }

  @Override
  public ClientReply reply(Call call, HttpServerResponse response) {
    return new MessagesReply(call, response,
        () -> tokens.estimatePrompt(call.envelope(), call.target().model(), call.bodySize()));
  }

  @Override
  public ErrorReply render(GatewayError error) {
    return AnthropicErrors.render(error);
  }
}
