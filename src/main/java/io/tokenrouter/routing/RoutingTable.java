package io.tokenrouter.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenrouter.billing.PriceBook;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.config.ModelConfig;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.config.RouteConfig;
import io.tokenrouter.config.RoutingConfig;
import io.tokenrouter.config.TargetConfig;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Every model name the gateway serves and its route, built from one configuration (providers,
 * models, routing) and the providers' model lists. Immutable: a change builds a new table, which
 * {@link ModelRouter} swaps in whole, so a call sees one table from start to end.
 *
 * <p>A name resolves, in this order: a configured name or alias, or a custom route's name; a
 * name a provider listed (with {@code list_models}) that no mapping claims, routed to every
 * provider that listed it; the longest wildcard pattern that matches it ({@code deepseek/*}),
 * whose targets get the matched part as their model.
 */
public final class RoutingTable {
  /** Routes of names matched by wildcards, made on first use; clients can make up any number. */
  private static final int MAX_EXPANDED = 10_000;

  private record Wildcard(ModelConfig model, String prefix, String suffix) {
    static Wildcard of(ModelConfig model) {
      int star = model.name().indexOf('*');
      return new Wildcard(model, model.name().substring(0, star), model.name().substring(star + 1));
    }

    /** The part of {@code name} the star matched, or null. */
    String match(String name) {
      if (name.length() < prefix.length() + suffix.length() || !name.startsWith(prefix) || !name.endsWith(suffix)) {
        return null;
      }
      return name.substring(prefix.length(), name.length() - suffix.length());
    }

    /** The provider model a target's configured model names for what the star matched. */
    static String model(String configured, String matched) {
      return configured == null || configured.isBlank() ? matched : configured.replace("*", matched);
    }
  }

  private final RoutingConfig routing;
  private final Map<String, OutboundAdapter> adapters;
  private final Map<String, KeyPool> keys;
  private final Set<String> disabled = new HashSet<>();
  private final Map<String, Integer> perTarget = new HashMap<>();
  private final TargetStates states;
  private final PriceBook prices;
  private final Map<String, Route> exact = new HashMap<>();
  private final List<Wildcard> wildcards = new ArrayList<>();
  private final Cache<String, Route> expanded = Caffeine.newBuilder().maximumSize(MAX_EXPANDED).build();
  private final List<String> names;

  /**
   * @param adapters every configured provider's adapter, by name
   * @param listed the model lists of providers with {@code list_models}, by provider name
   */
  public RoutingTable(GatewayConfig config, Map<String, OutboundAdapter> adapters, Map<String, List<String>> listed,
      TargetStates states, PriceBook prices) {
    this.routing = config.routing();
    this.adapters = Map.copyOf(adapters);
    this.states = states;
    this.prices = prices;
    Map<String, KeyPool> pools = new LinkedHashMap<>();
    for (ProviderConfig provider : config.providers()) {
      pools.put(provider.name(), states.keys(provider));
      if (!provider.enabled()) {
        disabled.add(provider.name());
      }
      if (provider.maxRetries() != null) {
        perTarget.put(provider.name(), provider.maxRetries() + 1);
      }
    }
    this.keys = pools;
    Set<String> offered = new TreeSet<>();
    for (ModelConfig model : config.models()) {
      if (model.name().contains("*")) {
        wildcards.add(Wildcard.of(model));
        continue;
      }
      Route route = route(model.name(), model.strategy(), model.targets(), UnaryOperator.identity());
      // still routed (its requests get the 503 that says how to switch a provider back on), not offered
      boolean servable = model.targets().stream().anyMatch(t -> !disabled.contains(t.provider()));
      exact.put(model.name(), route);
      if (servable) {
        offered.add(model.name());
      }
      for (String alias : model.aliases()) {
        exact.put(alias, route);
        if (servable) {
          offered.add(alias);
        }
      }
    }
    // a custom route is routed as a model of its name served by its provider (so its calls pass
    // the same allowlists, limits and records), but it is not a model to offer
    for (RouteConfig relay : config.routes()) {
      exact.putIfAbsent(relay.name(), route(relay.name(), null,
          List.of(new TargetConfig(relay.provider(), relay.name(), null, null)), UnaryOperator.identity()));
    }
    // the most specific pattern wins: the longest fixed part
    wildcards.sort(Comparator.comparingInt((Wildcard w) -> w.prefix().length() + w.suffix().length()).reversed());
    offered.addAll(listedRoutes(config, listed));
    this.names = List.copyOf(offered);
  }

  /** The names provider lists add: each under the wildcard that reaches it, or by itself, then routed as such. */
  private Set<String> listedRoutes(GatewayConfig config, Map<String, List<String>> listed) {
    Set<String> offered = new LinkedHashSet<>();
    Map<String, List<TargetConfig>> unclaimed = new LinkedHashMap<>();
    for (ProviderConfig provider : config.providers()) {
      if (disabled.contains(provider.name())) {
        continue; // a switched-off provider's own model names are not offered
      }
      for (String id : listed.getOrDefault(provider.name(), List.of())) {
        String viaWildcard = null;
        for (Wildcard w : wildcards) {
          if (w.model().targets().stream().anyMatch(t -> t.provider().equals(provider.name())
              && (t.model() == null || t.model().equals("*")))) {
            viaWildcard = w.prefix() + id + w.suffix();
            break;
          }
        }
        if (viaWildcard != null) {
          offered.add(viaWildcard);
        } else if (!exact.containsKey(id)) {
          unclaimed.computeIfAbsent(id, k -> new ArrayList<>()).add(new TargetConfig(provider.name(), id, null, null));
        }
      }
    }
    unclaimed.forEach((id, targets) -> {
      exact.put(id, route(id, null, targets, UnaryOperator.identity()));
      offered.add(id);
    });
    return offered;
  }

  private Route route(String name, String strategy, List<TargetConfig> configured, UnaryOperator<String> model) {
    Map<Integer, List<Target>> levels = new TreeMap<>();
    Map<Target, TargetState> targetStates = new HashMap<>();
    for (TargetConfig t : configured) {
      if (disabled.contains(t.provider())) {
        continue;
      }
      String upstreamModel = model.apply(t.model());
      Target target = new Target(t.provider(), adapters.get(t.provider()), upstreamModel, t.weight(), t.priority());
      levels.computeIfAbsent(t.priority(), p -> new ArrayList<>()).add(target);
      targetStates.put(target, states.state(t.provider(), upstreamModel, keys.get(t.provider())));
    }
    Strategies.Context context = new Strategies.Context(targetStates::get, prices);
    String strategyName = strategy == null ? routing.strategy() : strategy;
    List<RoutingStrategy> strategies = new ArrayList<>(levels.size());
    for (int i = 0; i < levels.size(); i++) {
      strategies.add(Strategies.create(strategyName, context));
    }
    return new Route(name, new ArrayList<>(levels.values()), strategies, targetStates, routing.retry(),
        routing.affinity(), perTarget);
  }

  /** The route of {@code model}, or null when the gateway does not serve it. */
  public Route resolve(String model) {
    Route route = exact.get(model);
    if (route != null || wildcards.isEmpty() || model == null) {
      return route;
    }
    for (Wildcard w : wildcards) {
      String matched = w.match(model);
      if (matched != null) {
        return expanded.get(model, name -> route(w.model().name(), w.model().strategy(), w.model().targets(),
            configured -> Wildcard.model(configured, matched)));
      }
    }
    return null;
  }

  /** The names offered in {@code /v1/models}: configured names and aliases, and what providers listed; sorted. */
  public List<String> modelNames() {
    return names;
  }

  /** The state of every target a call may be routed to now. */
  public Collection<TargetState> targets() {
    Map<String, TargetState> all = new TreeMap<>();
    for (Route route : exact.values()) {
      route.states().forEach(s -> all.putIfAbsent(s.id(), s));
    }
    for (Route route : expanded.asMap().values()) {
      route.states().forEach(s -> all.putIfAbsent(s.id(), s));
    }
    return all.values();
  }

  public Map<String, OutboundAdapter> adapters() {
    return adapters;
  }

  KeyPool keys(String provider) {
    return keys.get(provider);
  }

  RoutingConfig routing() {
    return routing;
  }
}
