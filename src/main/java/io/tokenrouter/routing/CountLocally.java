package io.tokenrouter.routing;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.provider.Target;
import io.tokenrouter.reply.BufferedReply;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.reply.ReplyEvent;
import io.vertx.core.Future;
import java.util.List;

/**
 * Answers a token-counting request itself when the model's provider cannot count (OpenAI's chat
 * completions has no such call): system, tools and messages counted with the model's tokenizer,
 * on a worker thread, since an agent's prompt can be large.
 */
public final class CountLocally implements CallInterceptor {
  private final TokenEstimator tokens;

  public CountLocally(TokenEstimator tokens) {
    this.tokens = tokens;
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    Envelope request = call.envelope();
    Target target = call.get(Candidates.KEY).first();
    if (request.operation() != Operation.COUNT_TOKENS || target.adapter().supports(Operation.COUNT_TOKENS)) {
      return chain.proceed(call);
    }
    return tokens.countPrompt(request, target.model(), call.bodySize())
        .map(count -> new BufferedReply(List.of(new ReplyEvent.TokenCount(count))));
  }
}
