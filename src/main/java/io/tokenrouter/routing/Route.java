package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.config.RoutingConfig;
import io.tokenrouter.provider.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model name resolved: its targets (by priority, in configured order within one), the strategy
 * of each priority level, each target's state, and the retry settings of the table it belongs
 * to. Immutable but for what its strategies and states learn.
 */
public final class Route {
  private final String name;
  private final List<Target> targets;
  private final Map<Target, TargetState> states;
  private final List<List<Target>> levels;
  private final List<RoutingStrategy> strategies;
  private final RoutingConfig.Retry retry;
  private final RoutingConfig.Affinity affinity;
  private final TargetState onlyState;
  private final Map<String, Integer> perTarget;

  /**
   * @param name the configured name (for a wildcard, the pattern): what metrics are labelled with
   * @param levels the targets of each priority level, best level first
   * @param strategies one per level
   * @param perTarget attempts on one target of a provider whose {@code max_retries} overrides
   *     {@code retry.per_target}, by provider name
   */
  Route(String name, List<List<Target>> levels, List<RoutingStrategy> strategies, Map<Target, TargetState> states,
      RoutingConfig.Retry retry, RoutingConfig.Affinity affinity, Map<String, Integer> perTarget) {
    this.name = name;
    this.levels = List.copyOf(levels);
    this.strategies = List.copyOf(strategies);
    List<Target> all = new ArrayList<>();
    levels.forEach(all::addAll);
    this.targets = List.copyOf(all);
    this.states = Map.copyOf(states);
    this.retry = retry;
    this.affinity = affinity;
    this.perTarget = Map.copyOf(perTarget);
    this.onlyState = targets.size() == 1 ? states.get(targets.getFirst()) : null;
  }

  public String name() {
    return name;
  }

  /** Every target, best priority first. */
  public List<Target> targets() {
    return targets;
  }

  /**
   * One target with at most one key: nothing to order, spread or pin, so calls take the short
   * path (no strategy, no session lookup).
   */
  public boolean single() {
    return onlyState != null && onlyState.keys().size() <= 1;
  }

  /** The targets in the order this call should try them. */
  public List<Target> order(Call call) {
    if (levels.size() == 1) {
      return strategies.getFirst().order(levels.getFirst(), call);
    }
    List<Target> out = new ArrayList<>(targets.size());
    for (int i = 0; i < levels.size(); i++) {
      out.addAll(strategies.get(i).order(levels.get(i), call));
    }
    return out;
  }

  public TargetState state(Target target) {
    return onlyState != null ? onlyState : states.get(target);
  }

  /** The distinct states of this route's targets. */
  Iterable<TargetState> states() {
    return states.values();
  }

  RoutingConfig.Retry retry() {
    return retry;
  }

  /** Attempts on {@code target} before the next one is tried. */
  int attemptsOn(Target target) {
    return perTarget.getOrDefault(target.provider(), retry.perTarget());
  }

  /** Whether (and how long) the conversations of this route stick to their target. */
  RoutingConfig.Affinity affinity() {
    return affinity;
  }
}
