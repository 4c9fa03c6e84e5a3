package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.provider.Target;
import java.util.List;

/** The healthiest target first: the one whose recent attempts failed least (equal scores keep their order). */
final class Availability implements RoutingStrategy {
  private final Strategies.Context context;

  Availability(Strategies.Context context) {
    this.context = context;
  }

  @Override
  public List<Target> order(List<Target> candidates, Call call) {
    return Ranking.ascending(candidates, t -> -context.states().apply(t).stats().health());
  }
}
