package io.tokenrouter.provider.gemini;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.provider.HttpProvider;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.ProviderContext;
import io.tokenrouter.provider.ProviderFactory;

/**
 * {@code type: gemini}: Google's Gemini API ({@code base_url: https://generativelanguage.googleapis.com}),
 * translated both ways for every client API.
 */
public final class GeminiProviderFactory implements ProviderFactory {
  @Override
  public String type() {
    return "gemini";
  }

  @Override
  public OutboundAdapter create(ProviderContext context, ProviderConfig config) {
    return new HttpProvider(context.vertx(), config, new GeminiProtocol(config));
  }
}
