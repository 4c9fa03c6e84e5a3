package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.provider.Target;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The target with the fewest attempts in flight first; ties are taken in turn, so idle targets share the load. */
final class LeastBusy implements RoutingStrategy {
  private final Strategies.Context context;
  private final AtomicInteger turn = new AtomicInteger();

  LeastBusy(Strategies.Context context) {
    this.context = context;
  }

  @Override
  public List<Target> order(List<Target> candidates, Call call) {
    List<Target> rotated = Ranking.rotated(candidates, Math.floorMod(turn.getAndIncrement(), candidates.size()));
    return Ranking.ascending(rotated, t -> context.states().apply(t).stats().inFlight());
  }
}
