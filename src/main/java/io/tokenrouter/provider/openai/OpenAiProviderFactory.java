package io.tokenrouter.provider.openai;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.provider.HttpProvider;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.ProviderContext;
import io.tokenrouter.provider.ProviderFactory;

/** {@code type: openai}: OpenAI and every server speaking its chat completions API. */
public final class OpenAiProviderFactory implements ProviderFactory {
  @Override
  public String type() {
    return "openai";
  }

  @Override
  public OutboundAdapter create(ProviderContext context, ProviderConfig config) {
    return new HttpProvider(context.vertx(), config, new OpenAiChatProtocol(config));
  }
}
