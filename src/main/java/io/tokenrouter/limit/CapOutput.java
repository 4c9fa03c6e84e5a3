package io.tokenrouter.limit;

import io.tokenrouter.admission.Admit;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.call.Attachment;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.ReplySink;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import io.vertx.core.Future;

/**
 * Holds a streamed answer to the caller's output cap, on every API: the provider was asked for
 * no more (admission lowered {@code max_tokens}), but its count and the gateway's may differ, and
 * some providers ignore the field. The answer is read as neutral events, its text counted with
 * the model's tokenizer; the delta that reaches the cap is trimmed, and the answer ends the way a
 * provider ends a capped one ({@link StopReason#MAX_TOKENS}), the upstream request cancelled.
 */
public final class CapOutput implements CallInterceptor {
  /** The output tokens relayed when an answer was cut at the cap; absent otherwise. */
  public static final Attachment<Integer> CUT = Attachment.named("output cut");
  private final TokenEstimator tokenizer;

  public CapOutput(TokenEstimator tokenizer) {
    this.tokenizer = tokenizer;
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    Integer cap = call.get(Admit.OUTPUT_CAP);
    if (cap == null || !call.envelope().stream()) {
      return chain.proceed(call);
    }
    call.requireNeutralReply();
    return chain.proceed(call).map(reply -> new CappedReply(call, reply, cap));
  }

  private final class CappedReply implements Reply, ReplySink {
    private final Call call;
    private final Reply upstream;
    private final OutputCap cap;
    private ReplySink sink;
    private Usage reported;
    private int openBlock = -1;
    private boolean ended;

    CappedReply(Call call, Reply upstream, int cap) {
      this.call = call;
      this.upstream = upstream;
      this.cap = new OutputCap(tokenizer, call.target().model(), cap);
    }

    @Override
    public void start(ReplySink target) {
      this.sink = target;
      upstream.start(this);
    }

    @Override
    public void event(ReplyEvent event) {
      if (ended) {
        return;
      }
      switch (event) {
        case ReplyEvent.TextDelta t -> {
          String kept = cap.admit(t.text());
          if (!kept.isEmpty()) {
            sink.event(kept.equals(t.text()) ? t : new ReplyEvent.TextDelta(t.index(), kept));
          }
          if (cap.reached()) {
            cut(t.index());
          }
        }
        case ReplyEvent.UsageReport u -> {
          reported = u.usage();
          sink.event(u);
        }
        case ReplyEvent.BlockStart b -> {
          openBlock = b.index();
          sink.event(b);
        }
        case ReplyEvent.BlockStop b -> {
          openBlock = -1;
          sink.event(b);
        }
        default -> sink.event(event);
      }
    }

    private void cut(int index) {
      ended = true;
      if (openBlock >= 0) {
        sink.event(new ReplyEvent.BlockStop(index));
      }
      sink.event(new ReplyEvent.Stop(StopReason.MAX_TOKENS, null));
      call.put(CUT, cap.tokens());
      upstream.cancel();
      Usage base = reported != null ? reported : Usage.NONE;
      if (base.promptTokens() > 0) {
        finish(base.promptTokens(), base);
      } else {
        // the provider had not reported the prompt yet (OpenAI's usage comes last)
        tokenizer.countPrompt(call.envelope(), call.target().model(), call.bodySize())
            .onComplete(ar -> finish(ar.succeeded() ? ar.result() : 0, base));
      }
    }

    private void finish(int prompt, Usage base) {
      sink.event(new ReplyEvent.UsageReport(new Usage(prompt, cap.tokens(), base.cacheReadTokens(),
          base.cacheWriteTokens(), base.cacheWrite1hTokens(), 0, true)));
      sink.end(null);
    }

    @Override
    public void end(GatewayError error) {
      if (!ended) {
        ended = true;
        sink.end(error);
      }
    }

    @Override
    public void pause() {
      upstream.pause();
    }

    @Override
    public void resume() {
      upstream.resume();
    }

    @Override
    public void cancel() {
      upstream.cancel();
    }
  }
}
