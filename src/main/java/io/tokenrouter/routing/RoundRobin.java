package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.provider.Target;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Each call starts one target further along: every target gets the same share. */
final class RoundRobin implements RoutingStrategy {
  private final AtomicInteger turn = new AtomicInteger();

  @Override
  public List<Target> order(List<Target> candidates, Call call) {
    return Ranking.rotated(candidates, Math.floorMod(turn.getAndIncrement(), candidates.size()));
  }
}
