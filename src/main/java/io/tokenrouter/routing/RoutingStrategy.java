package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.provider.Target;
import java.util.List;

/**
 * Orders the targets of one mapping (of one priority level) for a call: the router tries them
 * in that order, skipping those whose breaker is open. One instance per mapping and priority
 * level, so a strategy may keep state (a turn counter); called from every event loop.
 */
public interface RoutingStrategy {
  List<Target> order(List<Target> candidates, Call call);
}
