package io.tokenrouter.config;

/**
 * A provider (by configured name) and the model name that provider knows.
 *
 * @param model the provider's model name; in a wildcard mapping, {@code *} in it (or a missing
 *     model) stands for the part of the requested name the wildcard matched
 * @param weight the target's share of traffic under the weighted strategy (0: only as a fallback)
 * @param priority lower is preferred: targets of a higher priority number are tried only after
 *     every target of a lower one
 */
public record TargetConfig(String provider, String model, Integer weight, Integer priority) {
  public TargetConfig {
    weight = weight == null ? 1 : weight;
    priority = priority == null ? 0 : priority;
  }
}
