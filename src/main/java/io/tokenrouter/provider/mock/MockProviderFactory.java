package io.tokenrouter.provider.mock;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.ProviderContext;
import io.tokenrouter.provider.ProviderFactory;

/** {@code type: mock}: built in, no network, deterministic answers for demos and tests. */
public final class MockProviderFactory implements ProviderFactory {
  @Override
  public String type() {
    return "mock";
  }

  @Override
  public OutboundAdapter create(ProviderContext context, ProviderConfig config) {
    return new MockProvider(context.vertx(), config.mock().chunkDelay().toMillis(), context.tokens());
  }
}
