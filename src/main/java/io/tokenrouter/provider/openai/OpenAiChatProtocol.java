package io.tokenrouter.provider.openai;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.provider.ProviderHeaders;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.provider.UpstreamRequest;
import io.tokenrouter.provider.WireProtocol;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * OpenAI's chat completions API, and every server that speaks it (DeepSeek, vLLM, Ollama,
 * SiliconFlow...). An OpenAI-format client's answer is relayed as the provider's bytes.
 */
final class OpenAiChatProtocol implements WireProtocol {
  private static final String PATH = "/chat/completions";
  private static final String MODELS_PATH = "/models";
  private final String provider;
  private final ProviderHeaders headers;

  OpenAiChatProtocol(ProviderConfig config) {
    this.provider = config.name();
    MultiMap base = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT_ENCODING, "gzip");
    this.headers = new ProviderHeaders(base, config, (h, key) -> h.add(HttpHeaders.AUTHORIZATION, "Bearer " + key));
  }

  @Override
  public HttpRequestSpec write(UpstreamRequest request) {
    return new HttpRequestSpec(PATH, headers.forKey(request.apiKey()),
        OpenAiRequestWriter.write(request.envelope(), request.model()));
  }

  @Override
  public HttpRequestSpec listModels(String apiKey) {
    return new HttpRequestSpec(MODELS_PATH, headers.forKey(apiKey), null);
  }

  @Override
  public ReplyDecoder decoder(UpstreamRequest request) {
    if (request.relayRaw() && request.envelope().dialect() == Dialect.OPENAI_CHAT) {
      return new OpenAiRawDecoder(provider, request.envelope().clientWantsStreamUsage());
    }
    return new OpenAiChatDecoder(provider);
  }
}
