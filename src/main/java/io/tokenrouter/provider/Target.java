package io.tokenrouter.provider;

/**
 * One way to serve a model: a provider and the name it knows the model by.
 *
 * @param provider the provider's configured name
 * @param weight its share of traffic under the weighted strategy
 * @param priority lower is tried first; a higher number only once every lower one failed
 */
public record Target(String provider, OutboundAdapter adapter, String model, int weight, int priority) {
  /** A target of its own: weight 1, priority 0. */
  public Target(String provider, OutboundAdapter adapter, String model) {
    this(provider, adapter, model, 1, 0);
  }

  /** {@code provider/model}: how the target is named in health reports, records and Redis. */
  public String id() {
    return provider + '/' + model;
  }
}
