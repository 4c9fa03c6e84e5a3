package io.tokenrouter.provider.openai;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.provider.UpstreamRequest;
import io.tokenrouter.provider.WireProtocol;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Map;

/**
 * OpenAI's chat completions API, and every server that speaks it (DeepSeek, vLLM, Ollama,
 * SiliconFlow...). An OpenAI-format client's answer is relayed as the provider's bytes.
 */
final class OpenAiChatProtocol implements WireProtocol {
  private static final String PATH = "/chat/completions";
  private final String provider;
  private final MultiMap headers;

  OpenAiChatProtocol(ProviderConfig config) {
    this.provider = config.name();
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT_ENCODING, "gzip");
    if (!config.apiKey().isEmpty()) {
      h.add(HttpHeaders.AUTHORIZATION, "Bearer " + config.apiKey());
    }
    for (Map.Entry<String, String> e : config.headers().entrySet()) {
      h.set(e.getKey(), e.getValue());
    }
    this.headers = h;
  }

  @Override
  public HttpRequestSpec write(UpstreamRequest request) {
    return new HttpRequestSpec(PATH, headers, OpenAiRequestWriter.write(request.envelope(), request.model()));
  }

  @Override
  public ReplyDecoder decoder(UpstreamRequest request) {
    if (request.relayRaw() && request.envelope().dialect() == Dialect.OPENAI_CHAT) {
      return new OpenAiRawDecoder(provider, request.envelope().clientWantsStreamUsage());
    }
    return new OpenAiChatDecoder(provider);
  }
}
