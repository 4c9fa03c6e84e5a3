package io.tokenrouter.provider.openai;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.provider.HttpProvider;
import io.tokenrouter.provider.OutboundAdapter;
import io.tokenrouter.provider.ProviderContext;
import io.tokenrouter.provider.ProviderFactory;
import io.vertx.core.MultiMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code type: azure}: Azure OpenAI. The same wire format as OpenAI's, with the deployment in the
 * path ({@code /openai/deployments/{deployment}/chat/completions?api-version=...}; a target's
 * {@code model} names the deployment) and the key in an {@code api-key} header. {@code base_url}
 * is the resource's endpoint ({@code https://NAME.openai.azure.com}).
 */
public final class AzureProviderFactory implements ProviderFactory {
  /** The generally available version the gateway calls with unless {@code api_version} says otherwise. */
  static final String DEFAULT_API_VERSION = "2024-10-21";

  @Override
  public String type() {
    return "azure";
  }

  @Override
  public OutboundAdapter create(ProviderContext context, ProviderConfig config) {
    String version = URLEncoder.encode(config.apiVersion() == null ? DEFAULT_API_VERSION : config.apiVersion(),
        StandardCharsets.UTF_8);
    OpenAiEndpoint endpoint = new OpenAiEndpoint() {
      @Override
      public String path(String api, String model) {
        // Azure serves the Responses API once per resource, the deployment named in the body
        if (api.equals("responses")) {
          return "/openai/responses?api-version=" + version;
        }
        return "/openai/deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + "/" + api
            + "?api-version=" + version;
      }

      @Override
      public void authorize(MultiMap headers, String key) {
        headers.add("api-key", key);
      }

      /** A resource's deployments are not listed to a data-plane key: mappings name them. */
      @Override
      public String modelsPath() {
        return null;
      }
    };
    return new HttpProvider(context.vertx(), config, new OpenAiProtocol(config, endpoint));
  }
}
