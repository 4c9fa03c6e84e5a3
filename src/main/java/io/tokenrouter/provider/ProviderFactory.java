package io.tokenrouter.provider;

import io.tokenrouter.config.ProviderConfig;

/**
 * Makes the adapter of one provider type. Factories are found with {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services}), so a new provider family is a new class, not a branch.
 */
public interface ProviderFactory {
  /** The {@code type} in the configuration ({@code openai}, {@code anthropic}...). */
  String type();

  OutboundAdapter create(ProviderContext context, ProviderConfig config);
}
