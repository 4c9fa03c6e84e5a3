package io.tokenrouter.provider.openai;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.provider.HttpProvider;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.ProviderContext;
import io.tokenrouter.provider.ProviderFactory;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/** {@code type: openai}: OpenAI and every server speaking its APIs, at {@code <base_url>/chat/completions} and so on. */
public final class OpenAiProviderFactory implements ProviderFactory {
  @Override
  public String type() {
    return "openai";
  }

  @Override
  public OutboundAdapter create(ProviderContext context, ProviderConfig config) {
    OpenAiEndpoint endpoint = new OpenAiEndpoint() {
      @Override
      public String path(String api, String model) {
        return "/" + api;
      }

      @Override
      public void authorize(MultiMap headers, String key) {
        headers.add(HttpHeaders.AUTHORIZATION, "Bearer " + key);
      }

      @Override
      public String modelsPath() {
        return "/models";
      }
    };
    return new HttpProvider(context.vertx(), config, new OpenAiProtocol(config, endpoint));
  }
}
