package io.tokenrouter.provider.gemini;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.provider.ProviderHeaders;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.provider.UpstreamRequest;
import io.tokenrouter.provider.WireProtocol;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Gemini API: {@code POST /v1beta/models/{model}:generateContent}, or
 * {@code :streamGenerateContent?alt=sse} for a stream (each event a whole
 * {@code GenerateContentResponse} chunk), the key in {@code x-goog-api-key}.
 */
final class GeminiProtocol implements WireProtocol {
  static final String KEY_HEADER = "x-goog-api-key";
  private final String provider;
  private final ProviderHeaders headers;

  GeminiProtocol(ProviderConfig config) {
    this.provider = config.name();
    MultiMap base = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT_ENCODING, "gzip");
    this.headers = new ProviderHeaders(base, config, (h, key) -> h.add(KEY_HEADER, key));
  }

  @Override
  public HttpRequestSpec write(UpstreamRequest request) {
    String model = URLEncoder.encode(request.model(), StandardCharsets.UTF_8);
    String path = "/v1beta/models/" + model
        + (request.envelope().stream() ? ":streamGenerateContent?alt=sse" : ":generateContent");
    return new HttpRequestSpec(path, headers.forKey(request.apiKey()), GeminiRequestWriter.write(request.envelope()));
  }

  @Override
  public ReplyDecoder decoder(UpstreamRequest request) {
    return new GeminiDecoder(provider);
  }

  @Override
  public MultiMap credentials(String apiKey) {
    return headers.credentials(apiKey);
  }
}
