package io.tokenrouter.routing;

import io.tokenrouter.call.Attachment;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallListener;
import io.tokenrouter.call.Outcome;
import io.tokenrouter.provider.Target;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Usage;

/**
 * Feeds what calls do into their targets' statistics, from the call's events: attempts in
 * flight (least busy), time from an attempt's start to its first token (least latency), and the
 * share of the prompt the provider read from its cache (lowest cost).
 */
public final class RoutingStats implements CallListener {
  /** The attempt under way: its target's state and when it started. */
  private record Open(TargetState state, long startNanos) {}

  private static final Attachment<Open> OPEN = Attachment.named("attempt under way");

  @Override
  public void routed(Call call, Target target) {
    Candidates candidates = call.get(Candidates.KEY);
    TargetState state = candidates == null ? null : candidates.route().state(target);
    if (state != null) {
      state.stats().started();
      call.put(OPEN, new Open(state, System.nanoTime()));
    }
  }

  @Override
  public void attemptFailed(Call call, Target target, GatewayError error) {
    close(call);
  }

  @Override
  public void firstOutput(Call call) {
    Open open = call.get(OPEN);
    if (open != null) {
      open.state().stats().firstToken((System.nanoTime() - open.startNanos()) / 1e6);
    }
  }

  @Override
  public void finished(Call call, Outcome outcome) {
    Open open = close(call);
    Usage usage = outcome.reported();
    if (open != null && usage != null && usage.promptTokens() > 0) {
      open.state().stats().cacheHit((double) usage.cacheReadTokens() / usage.promptTokens());
    }
  }

  private static Open close(Call call) {
    Open open = call.get(OPEN);
    if (open != null) {
      open.state().stats().ended();
      call.put(OPEN, null);
    }
    return open;
  }
}
