package io.tokenrouter.provider.anthropic;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.provider.HttpProvider;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.ProviderContext;
import io.tokenrouter.provider.ProviderFactory;

/** {@code type: anthropic}: Anthropic's Messages API and servers that speak it. */
public final class AnthropicProviderFactory implements ProviderFactory {
  @Override
  public String type() {
    return "anthropic";
  }

  @Override
  public OutboundAdapter create(ProviderContext context, ProviderConfig config) {
    return new HttpProvider(context.vertx(), config, new AnthropicProtocol(config));
  }
}
