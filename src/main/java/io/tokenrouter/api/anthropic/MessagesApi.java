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
  /** Bytes of a request body per prompt token, roughly, for prompts too large to count on the event loop. */
  private static final int BYTES_PER_TOKEN = 4;
  private static final int COUNT_INLINE_LIMIT = 16 * 1024;
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
    return new MessagesReply(call, response, () -> call.bodySize() > COUNT_INLINE_LIMIT
        ? call.bodySize() / BYTES_PER_TOKEN
        : tokens.countPrompt(call.envelope(), call.target().model()));
  }

  @Override
  public ErrorReply render(GatewayError error) {
    return AnthropicErrors.render(error);
  }
}
