package io.tokenrouter.routing;

import java.util.List;

/**
 * The routing table in force. A reload (or a provider's new model list) swaps in a new table
 * whole; a call resolves its model against the table current when it arrived and keeps that
 * route to its end, so calls in flight never see half of a change.
 */
public final class ModelRouter {
  private volatile RoutingTable table;

  public ModelRouter(RoutingTable table) {
    this.table = table;
  }

  public RoutingTable table() {
    return table;
  }

  void install(RoutingTable next) {
    this.table = next;
  }

  /** Every model name offered to clients, sorted. */
  public List<String> modelNames() {
    return table.modelNames();
  }
}
