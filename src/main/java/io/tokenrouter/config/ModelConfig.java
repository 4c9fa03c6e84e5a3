package io.tokenrouter.config;

import java.util.List;

/**
 * A model name clients send, and the provider models that serve it.
 *
 * @param name the name, or a pattern with one {@code *} ({@code deepseek/*}) matching many
 * @param aliases other names clients may send for the same model
 * @param strategy how its targets are ordered; the routing section's default when null
 * @param pipeline this model's prompt pipeline settings, or null for the global ones
 */
public record ModelConfig(String name, List<String> aliases, String strategy, List<TargetConfig> targets,
    PipelineConfig.ModelOverrides pipeline) {
  public ModelConfig {
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    strategy = strategy == null ? null : strategy.strip().toLowerCase(java.util.Locale.ROOT);
    targets = targets == null ? List.of() : List.copyOf(targets);
  }
}
