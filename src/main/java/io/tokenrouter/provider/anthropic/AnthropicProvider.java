package io.tokenrouter.provider.anthropic;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.provider.ChunkSink;
import io.tokenrouter.provider.Completion;
import io.tokenrouter.provider.Provider;
import io.tokenrouter.provider.StreamHandle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Placeholder replaced by the Anthropic adapter in this same change. */
public final class AnthropicProvider implements Provider {
  private final String name;

  public AnthropicProvider(Vertx vertx, ProviderConfig config, TokenEstimator estimator) {
    this.name = config.name();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Completion> complete(Envelope request, String upstreamModel) {
    throw new UnsupportedOperationException("anthropic");
  }

  @Override
  public Future<StreamHandle> stream(Envelope request, String upstreamModel, ChunkSink sink) {
    throw new UnsupportedOperationException("anthropic");
  }
}
