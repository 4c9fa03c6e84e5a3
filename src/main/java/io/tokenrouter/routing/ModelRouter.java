package io.tokenrouter.routing;

import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.TargetConfig;
import io.tokenrouter.provider.Provider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the model name a client sends to the routes that can serve it, in the configured order
 * of preference. Immutable: a configuration change builds a new router.
 */
public final class ModelRouter {
  private final Map<String, List<Route>> routes;

  public ModelRouter(List<ModelConfig> models, Map<String, Provider> providers) {
    Map<String, List<Route>> table = new LinkedHashMap<>();
    for (ModelConfig model : models) {
      List<Route> list = new ArrayList<>(model.targets().size());
      for (TargetConfig target : model.targets()) {
        list.add(new Route(providers.get(target.provider()), target.model()));
      }
      table.put(model.name(), List.copyOf(list));
    }
    this.routes = Map.copyOf(table);
  }

  /** The routes for a model, best first; empty when the model is not configured. */
  public List<Route> routes(String model) {
    return routes.getOrDefault(model, List.of());
  }

  /** Every configured model name, sorted. */
  public List<String> modelNames() {
    return routes.keySet().stream().sorted().toList();
  }
}
