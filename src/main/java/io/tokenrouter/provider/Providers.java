package io.tokenrouter.provider;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.provider.anthropic.AnthropicProvider;
import io.tokenrouter.provider.mock.MockProvider;
import io.tokenrouter.provider.openai.OpenAiProvider;
import io.vertx.core.Vertx;

/** Builds the provider for a configured type. */
public final class Providers {
  private Providers() {}

  public static Provider create(Vertx vertx, ProviderConfig config, TokenEstimator estimator) {
    return switch (config.type()) {
      case OPENAI -> new OpenAiProvider(vertx, config, estimator);
      case ANTHROPIC -> new AnthropicProvider(vertx, config, estimator);
      case MOCK -> new MockProvider(vertx, config, estimator);
    };
  }
}
