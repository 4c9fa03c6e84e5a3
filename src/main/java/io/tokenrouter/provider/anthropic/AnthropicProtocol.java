package io.tokenrouter.provider.anthropic;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.provider.ProviderHeaders;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.provider.UpstreamRequest;
import io.tokenrouter.provider.WireProtocol;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, {@code /v1/messages/count_tokens}). An
 * Anthropic-format client's {@code anthropic-version} and {@code anthropic-beta} headers are
 * forwarded as it sent them, the beta list merged with any the configuration adds; its answer is
 * relayed as the provider's bytes.
 */
final class AnthropicProtocol implements WireProtocol {
  private static final String PATH = "/v1/messages";
  private static final String COUNT_PATH = "/v1/messages/count_tokens";
  private static final String MODELS_PATH = "/v1/models";
  static final String VERSION = "anthropic-version";
  static final String BETA = "anthropic-beta";
  private static final String DEFAULT_VERSION = "2023-06-01";
  private final String provider;
  private final ProviderHeaders headers;

  AnthropicProtocol(ProviderConfig config) {
    this.provider = config.name();
    MultiMap base = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT_ENCODING, "gzip")
        .add(VERSION, DEFAULT_VERSION);
    // configured headers are set, not added: a configured anthropic-version or anthropic-beta replaces the default
    this.headers = new ProviderHeaders(base, config, (h, key) -> h.add("x-api-key", key));
  }

  @Override
  public HttpRequestSpec write(UpstreamRequest request) {
    Envelope env = request.envelope();
    String path = env.operation() == Operation.COUNT_TOKENS ? COUNT_PATH : PATH;
    return new HttpRequestSpec(path, headersFor(env, headers.forKey(request.apiKey())),
        AnthropicRequestWriter.write(env, request.model()));
  }

  @Override
  public MultiMap credentials(String apiKey) {
    return headers.credentials(apiKey);
  }

  @Override
  public HttpRequestSpec listModels(String apiKey) {
    return new HttpRequestSpec(MODELS_PATH, headers.forKey(apiKey), null);
  }

  private static MultiMap headersFor(Envelope env, MultiMap headers) {
    String version = env.headers().get(VERSION);
    String beta = env.headers().get(BETA);
    if (version == null && beta == null) {
      return headers;
    }
    MultiMap h = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    if (version != null) {
      h.set(VERSION, version);
    }
    if (beta != null) {
      h.set(BETA, union(headers.get(BETA), beta));
    }
    return h;
  }

  /** The client's beta flags in its order, then the configured ones it did not name. */
  private static String union(String configured, String client) {
    Set<String> flags = new LinkedHashSet<>();
    for (String list : new String[] {client, configured}) {
      if (list != null) {
        for (String flag : list.split(",")) {
          if (!flag.isBlank()) {
            flags.add(flag.strip());
          }
        }
      }
    }
    return String.join(",", flags);
  }

  @Override
  public ReplyDecoder decoder(UpstreamRequest request) {
    boolean raw = request.relayRaw() && request.envelope().dialect() == Dialect.ANTHROPIC_MESSAGES;
    if (request.envelope().operation() == Operation.COUNT_TOKENS) {
      return new AnthropicCountDecoder(provider, raw);
    }
    return raw ? new AnthropicRawDecoder(provider) : new AnthropicStreamDecoder(provider);
  }

  @Override
  public boolean supports(Operation operation) {
    return operation == Operation.GENERATE || operation == Operation.COUNT_TOKENS;
  }
}
