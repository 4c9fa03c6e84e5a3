package io.tokenrouter.api.openai;

import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/** OpenAI's {@code POST /v1/chat/completions}, streamed or not. */
public final class ChatCompletionsApi implements InboundAdapter {
  @Override
  public List<String> paths() {
    return List.of("/v1/chat/completions");
  }

  @Override
  public String credential(MultiMap headers) {
    return BearerToken.of(headers);
  }

  @Override
  public Envelope read(byte[] body, MultiMap headers) {
    return ChatRequestReader.read(body, credential(headers));
  }

  @Override
  public ClientReply reply(Call call, HttpServerResponse response) {
    return new ChatReply(call, response);
  }

  @Override
  public ErrorReply render(GatewayError error) {
    return OpenAiErrors.render(error);
  }
}
