package io.tokenrouter.config;

import java.util.List;

/** A model name clients send, and the provider models that serve it, in order of preference. */
public record ModelConfig(String name, List<TargetConfig> targets) {
  public ModelConfig {
    targets = targets == null ? List.of() : List.copyOf(targets);
  }
}
