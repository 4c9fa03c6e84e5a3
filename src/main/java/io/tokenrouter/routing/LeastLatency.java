package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.provider.Target;
import java.util.List;

/**
 * The target with the shortest time to first token (a moving average) first. A target without
 * a measurement yet counts as the fastest, so each is tried and measured.
 */
final class LeastLatency implements RoutingStrategy {
  private final Strategies.Context context;

  LeastLatency(Strategies.Context context) {
    this.context = context;
  }

  @Override
  public List<Target> order(List<Target> candidates, Call call) {
    return Ranking.ascending(candidates, t -> Math.max(0, context.states().apply(t).stats().ttftMillis()));
  }
}
