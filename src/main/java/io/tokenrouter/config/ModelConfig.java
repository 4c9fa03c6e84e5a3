package io.tokenrouter.config;

import java.util.List;

/**
 * A model name clients send, and the provider models that serve it, in order of preference.
 *
 * @param pipeline this model's prompt pipeline settings, or null for the global ones
 */
public record ModelConfig(String name, List<TargetConfig> targets, PipelineConfig.ModelOverrides pipeline) {
  public ModelConfig {
    targets = targets == null ? List.of() : List.copyOf(targets);
  }
}
