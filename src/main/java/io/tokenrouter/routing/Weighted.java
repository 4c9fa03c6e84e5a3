package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.provider.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Each target's share of first choices is its weight's share of the total, spread evenly
 * (nginx's smooth weighted round-robin: with weights 3 and 1, A A B A, never A A A B in bursts).
 * The others follow by descending weight, as fallbacks; a weight of 0 is only ever a fallback.
 */
final class Weighted implements RoutingStrategy {
  private int[] current;

  @Override
  public List<Target> order(List<Target> candidates, Call call) {
    int first = next(candidates);
    List<Target> out = new ArrayList<>(candidates.size());
    out.add(candidates.get(first));
    List<Target> rest = new ArrayList<>(candidates);
    rest.remove(first);
    rest.sort((a, b) -> Integer.compare(b.weight(), a.weight()));
    out.addAll(rest);
    return out;
  }

  private synchronized int next(List<Target> candidates) {
    if (current == null) {
      current = new int[candidates.size()];
    }
    int total = 0;
    int best = 0;
    for (int i = 0; i < candidates.size(); i++) {
      int weight = candidates.get(i).weight();
      current[i] += weight;
      total += weight;
      if (current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    return best;
  }
}
