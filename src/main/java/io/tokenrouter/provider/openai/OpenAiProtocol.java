package io.tokenrouter.provider.openai;

import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.provider.ProviderHeaders;
import io.tokenrouter.provider.ReplyDecoder;
import io.tokenrouter.provider.UpstreamRequest;
import io.tokenrouter.provider.WireProtocol;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/**
 * OpenAI's APIs, and every server that speaks them (DeepSeek, vLLM, Ollama, SiliconFlow, Azure
 * OpenAI...): chat completions for every client API, and for OpenAI-format clients the API they
 * called, relayed as the provider's bytes: legacy completions, embeddings, and the Responses API
 * where the provider has it ({@code responses: native}). A Responses client whose answer must be
 * read as neutral events (an output cap) is served through chat completions.
 */
final class OpenAiProtocol implements WireProtocol {
  private final String provider;
  private final OpenAiEndpoint endpoint;
  private final boolean nativeResponses;
  private final ProviderHeaders headers;

  OpenAiProtocol(ProviderConfig config, OpenAiEndpoint endpoint) {
    this.provider = config.name();
    this.endpoint = endpoint;
    this.nativeResponses = config.nativeResponses();
    MultiMap base = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT_ENCODING, "gzip");
    this.headers = new ProviderHeaders(base, config, endpoint::authorize);
  }

  /** The API a request goes to. */
  private enum Api {
    CHAT("chat/completions"), COMPLETIONS("completions"), EMBEDDINGS("embeddings"), RESPONSES("responses");

    final String path;

    Api(String path) {
      this.path = path;
    }
  }

  private Api api(UpstreamRequest request) {
    Envelope env = request.envelope();
    if (env.operation() == Operation.EMBED) {
      return Api.EMBEDDINGS;
    }
    return switch (env.dialect()) {
      case OPENAI_COMPLETIONS -> Api.COMPLETIONS;
      case OPENAI_RESPONSES -> nativeResponses && request.relayRaw() ? Api.RESPONSES : Api.CHAT;
      default -> Api.CHAT;
    };
  }

  @Override
  public HttpRequestSpec write(UpstreamRequest request) {
    Api api = api(request);
    Envelope env = request.envelope();
    Buffer body = switch (api) {
      case CHAT -> OpenAiRequestWriter.write(env, request.model());
      case COMPLETIONS, EMBEDDINGS -> OpenAiPassThroughWriter.write(env, request.model());
      case RESPONSES -> ResponsesRequestWriter.write(env, request.model());
    };
    return new HttpRequestSpec(endpoint.path(api.path, request.model()), headers.forKey(request.apiKey()), body);
  }

  @Override
  public ReplyDecoder decoder(UpstreamRequest request) {
    Api api = api(request);
    Envelope env = request.envelope();
    if (api == Api.RESPONSES) {
      return new ResponsesRawDecoder(provider);
    }
    // embeddings have no neutral form: they always go back as the provider wrote them
    boolean raw = api == Api.EMBEDDINGS || request.relayRaw()
        && (api == Api.COMPLETIONS || env.dialect() == Dialect.OPENAI_CHAT);
    return raw ? new OpenAiRawDecoder(provider, env.clientWantsStreamUsage()) : new OpenAiChatDecoder(provider);
  }

  @Override
  public MultiMap credentials(String apiKey) {
    return headers.credentials(apiKey);
  }

  @Override
  public HttpRequestSpec listModels(String apiKey) {
    String path = endpoint.modelsPath();
    return path == null ? null : new HttpRequestSpec(path, headers.forKey(apiKey), null);
  }

  @Override
  public boolean supports(Operation operation) {
    return operation == Operation.GENERATE || operation == Operation.EMBED;
  }
}
