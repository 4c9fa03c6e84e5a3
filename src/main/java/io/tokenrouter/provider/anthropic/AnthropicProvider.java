package io.tokenrouter.provider.anthropic;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.provider.ChunkSink;
import io.tokenrouter.provider.Completion;
import io.tokenrouter.provider.HttpUpstream;
import io.tokenrouter.provider.Provider;
import io.tokenrouter.provider.SseParser;
import io.tokenrouter.provider.StreamHandle;
import io.tokenrouter.provider.UpstreamException;
import io.tokenrouter.provider.UpstreamStatus;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import java.util.Map;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}) behind the OpenAI chat completions
 * interface: requests and replies are translated both ways, streams event by event.
 */
public final class AnthropicProvider implements Provider {
  private static final String PATH = "/v1/messages";
  private static final String API_VERSION = "2023-06-01";
  private final String name;
  private final HttpUpstream upstream;
  private final MultiMap headers;
  private final TokenEstimator estimator;

  public AnthropicProvider(Vertx vertx, ProviderConfig config, TokenEstimator estimator) {
    this.name = config.name();
    this.upstream = new HttpUpstream(vertx, config);
    this.estimator = estimator;
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT_ENCODING, "gzip")
        .add("anthropic-version", API_VERSION);
    if (!config.apiKey().isEmpty()) {
      h.add("x-api-key", config.apiKey());
    }
    // set, not add: a configured anthropic-version or anthropic-beta replaces the default
    for (Map.Entry<String, String> e : config.headers().entrySet()) {
      h.set(e.getKey(), e.getValue());
    }
    this.headers = h;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Completion> complete(Envelope request, String upstreamModel) {
    return upstream.post(PATH, headers, AnthropicRequestWriter.write(request, upstreamModel))
        .compose(exchange -> exchange.body().compose(body -> {
          if (exchange.status() / 100 != 2) {
            return Future.failedFuture(UpstreamStatus.toException(name, exchange.status(), body));
          }
          try {
            return Future.succeededFuture(AnthropicReplyTranslator.translate(name, body,
                () -> estimator.countPrompt(request, upstreamModel), text -> estimator.countText(upstreamModel, text)));
          } catch (UpstreamException e) {
            return Future.failedFuture(e);
          }
        }));
  }

  @Override
  public Future<StreamHandle> stream(Envelope request, String upstreamModel, ChunkSink sink) {
    return upstream.post(PATH, headers, AnthropicRequestWriter.write(request, upstreamModel))
        .compose(exchange -> {
          if (exchange.status() / 100 != 2) {
            return exchange.body().compose(body ->
                Future.failedFuture(UpstreamStatus.toException(name, exchange.status(), body)));
          }
          AnthropicStreamTranslator translator = new AnthropicStreamTranslator(name, upstreamModel,
              request.clientWantsStreamUsage(), sink, () -> estimator.countPrompt(request, upstreamModel));
          SseParser parser = new SseParser(translator::onEvent);
          exchange.stream(parser::feed, error -> {
            if (error == null) {
              parser.end();
            }
            translator.onClose(error);
          });
          return Future.succeededFuture(exchange);
        });
  }

  @Override
  public Future<Void> close() {
    return upstream.close();
  }
}
