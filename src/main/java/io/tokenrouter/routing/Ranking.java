package io.tokenrouter.routing;

import io.tokenrouter.provider.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Orders targets by a score read once per target, so a score that changes meanwhile cannot upset the sort. */
final class Ranking {
  private Ranking() {}

  /** The targets by ascending score; equal scores keep their order. */
  static List<Target> ascending(List<Target> targets, ToDoubleFunction<Target> score) {
    int n = targets.size();
    double[] scores = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      scores[i] = score.applyAsDouble(targets.get(i));
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    List<Target> out = new ArrayList<>(n);
    for (Integer i : order) {
      out.add(targets.get(i));
    }
    return out;
  }

  /** The targets starting at {@code first}, wrapping around. */
  static List<Target> rotated(List<Target> targets, int first) {
    int n = targets.size();
    List<Target> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(targets.get((first + i) % n));
    }
    return out;
  }
}
